package io.csvx.http;

import io.csvx.delivery.Attempt;
import io.csvx.delivery.AttemptStore;
import io.csvx.endpoint.Endpoint;
import io.csvx.message.Events;
import io.csvx.message.ExampleResult;
import io.csvx.message.Message;
import io.csvx.message.MessageService;
import io.csvx.message.MessageStore;
import io.csvx.store.StoreException;
import io.csvx.tenant.Application;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/// `/api/v1/app/{app_id}/msg` and the attempt routes: publishing, reading messages and attempts, resending.
final class MessageRoutes {
    /// Svix's MessageStatus; 4 (canceled) is accepted and matches nothing: CSV-X cancels no delivery.
    private static final List<Integer> STATUSES = List.of(0, 1, 2, 3, 4);
    private static final Pattern CHANNEL = Message.CHANNEL;
    private static final Pattern TAG = Message.TAG;
    private static final List<Integer> CODE_CLASSES = List.of(0, 100, 200, 300, 400, 500);

    private final Services s;
    private final Http http;
    private final AppRoutes apps;
    private final EndpointRoutes endpoints;

    MessageRoutes(Services s, Http http, AppRoutes apps, EndpointRoutes endpoints) {
        this.s = s;
        this.http = http;
        this.apps = apps;
        this.endpoints = endpoints;
    }

    void create(Context ctx) {
        s.messages().inTurn(ctx.pathParam("app_id"), () -> publish(ctx));
    }

    private void publish(Context ctx) {
        Input in = http.json(ctx, s.config().maxPayloadBytes());
        String eventType = in.string("eventType", true, 1, 256, Input.UID);
        String eventId = in.string("eventId", false, 1, 256, Input.UID);
        List<String> channels = in.strings("channels", 10, CHANNEL);
        List<String> tags = in.strings("tags", 5, TAG);
        String payload = in.object("payload");
        // Svix SDKs send the payload as text in transformationsParams.rawPayload: it is then the body, byte for byte.
        Input transformations = in.nested("transformationsParams");
        String rawPayload = transformations == null ? null
                : transformations.string("rawPayload", false, 0, Integer.MAX_VALUE, null);
        if (rawPayload != null) {
            if (!isJson(rawPayload)) {
                in.reject("transformationsParams", "rawPayload must be JSON text");
            }
            payload = rawPayload;
        } else if (payload == null && !in.has("payload") || in.has("payload") && in.isNull("payload")) {
            in.reject("payload", "field required: a JSON object");
        }
        String orderingKey = orderingKey(in, transformations);
        Integer retention = in.integer("payloadRetentionPeriod", 1, 90);
        Integer retentionHours = in.integer("payloadRetentionHours", 1, 2160);
        if (retention != null && retentionHours != null) {
            in.reject("payloadRetentionHours", "give payloadRetentionPeriod (days) or payloadRetentionHours, not both");
        }
        String deliverAtText = in.string("deliverAt", false, 1, 64, null);
        Instant deliverAt = null;
        if (deliverAtText != null) {
            try {
                deliverAt = OffsetDateTime.parse(deliverAtText).toInstant().truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                in.reject("deliverAt", "must be an RFC 3339 date-time");
            }
        }
        if (deliverAt != null && deliverAt.isAfter(Http.now().plus(Duration.ofHours(24)))) {
            in.reject("deliverAt", "must be at most 24 hours ahead");
        }
        Input appIn = in.nested("application");
        in.check();
        Application app = appFor(ctx, appIn);
        Instant now = Http.now();
        Duration keep = retentionHours != null ? Duration.ofHours(retentionHours)
                : retention != null ? Duration.ofDays(retention) : Events.DEFAULT_RETENTION;
        Message m = new Message(s.ids().next("msg_"), app.id(), eventType, eventId, channels, tags, payload, now,
                now.plus(keep), deliverAt != null && deliverAt.isAfter(now) ? deliverAt : null, orderingKey);
        byte[] answer = http.bytes(Out.MessageOut.of(m, Http.boolParam(ctx, "with_content", true)));
        // with an idempotency key, the answer is kept with the message in its transaction
        String key = ctx.attribute(Api.ANSWER_KEY);
        try {
            s.messages().publish(app, m, key == null ? null
                    : new MessageStore.Answer(key, 202, new String(answer, StandardCharsets.UTF_8), now));
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a message with eventId '" + eventId + "' already exists in this application");
        } catch (MessageService.AppGone e) {
            throw ApiError.notFound("application '" + ctx.pathParam("app_id") + "'");
        }
        http.sendJson(ctx, 202, answer);
    }

    /// `orderingKey` (CSV-X's extension), or `transformationsParams.orderingKey`, the free-form
    /// object through which every Svix SDK passes it; both given, they must agree.
    private static String orderingKey(Input in, Input transformations) {
        String key = in.string("orderingKey", false, 0, Integer.MAX_VALUE, null);
        String field = "orderingKey";
        String nested = transformations == null ? null
                : transformations.string("orderingKey", false, 0, Integer.MAX_VALUE, null);
        if (nested != null) {
            if (key != null && !key.equals(nested)) {
                in.reject("transformationsParams", "orderingKey differs from the message's orderingKey");
                return null;
            }
            key = nested;
            field = "transformationsParams";
        }
        if (key == null) {
            return null;
        }
        String problem = Message.orderingKeyProblem(key).orElse(null);
        if (problem != null) {
            in.reject(field, field.equals("orderingKey") ? problem : "orderingKey " + problem);
            return null;
        }
        return key;
    }

    /// The path's application, created from the body's `application` when it does not exist yet.
    private Application appFor(Context ctx, Input appIn) {
        String key = ctx.pathParam("app_id");
        Optional<Application> existing = s.tenants().findCached(key);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (appIn == null) {
            throw ApiError.notFound("application '" + key + "'");
        }
        Application fresh = apps.read(appIn, key.startsWith("app_") ? null
                : Input.uidToCreate(key, "app_id", "app_", "application"), Http.now());
        try {
            return apps.insert(fresh);
        } catch (ApiError conflict) {
            return s.tenants().find(key).orElseThrow(() -> conflict); // created concurrently
        }
    }

    private boolean isJson(String text) {
        try {
            http.json().readTree(text);
            return !text.isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    void list(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        var filter = messageFilter(ctx);
        boolean content = Http.boolParam(ctx, "with_content", true);
        http.send(ctx, 200, Out.ListResponse.of(s.messages().list(app.id(), http.page(ctx, true), filter),
                m -> Out.MessageOut.of(m, content)));
    }

    /// `?channel=`, `?tag=`, `?event_types=`, `?before=` and `?after=` of a message list.
    private static MessageStore.Filter messageFilter(Context ctx) {
        String channel = Http.patternParam(ctx, "channel", CHANNEL);
        return new MessageStore.Filter(channel == null ? null : List.of(channel), Http.patternParam(ctx, "tag", TAG),
                eventTypes(ctx), Http.instantParam(ctx, "before"), Http.instantParam(ctx, "after"));
    }

    private static List<String> eventTypes(Context ctx) {
        List<String> types = Http.listParam(ctx, "event_types");
        if (types != null) {
            for (String t : types) {
                if (t.length() > 256 || !Input.UID.matcher(t).matches()) {
                    throw ApiError.invalid("query", "event_types", "'" + t.replaceAll("[^\\x20-\\x7e]", "?")
                            + "' is not an event type name");
                }
            }
        }
        return types;
    }

    void get(Context ctx) {
        http.send(ctx, 200, Out.MessageOut.of(find(ctx), Http.boolParam(ctx, "with_content", true)));
    }

    void destinations(Context ctx) {
        Message m = find(ctx);
        var rows = s.messages().destinations(m, Http.now());
        var page = http.page(ctx, false);
        var data = rows.stream().filter(d -> page.iterator() == null || d.endpoint().id().compareTo(page.iterator()) > 0)
                .limit(page.limit()).map(d -> Out.MessageEndpointOut.of(d.endpoint(), d.state())).toList();
        boolean done = data.size() < page.limit()
                || rows.stream().noneMatch(d -> d.endpoint().id().compareTo(data.getLast().id()) > 0);
        http.send(ctx, 200, new Out.ListResponse<>(data, data.isEmpty() ? null : data.getLast().id(), null, done));
    }

    void endpointMessages(Context ctx) {
        Endpoint e = endpoints.find(ctx);
        Integer status = Http.intParam(ctx, "status", STATUSES);
        Http.boolParam(ctx, "expanded_statuses", false);
        boolean content = Http.boolParam(ctx, "with_content", true);
        http.send(ctx, 200, Out.ListResponse.of(
                s.messages().byEndpoint(e.id(), http.page(ctx, true), status, messageFilter(ctx), Http.now()),
                em -> Out.EndpointMessageOut.of(em.message(), em.state(), content)));
    }

    void resend(Context ctx) {
        Message m = find(ctx);
        String key = ctx.pathParam("endpoint_id");
        Endpoint e = s.endpoints().find(m.appId(), key)
                .orElseThrow(() -> ApiError.notFound("endpoint '" + key + "'"));
        if (!s.deliveries().resend(m, e, Http.now())) {
            throw ApiError.conflict("endpoint '" + key + "' is disabled; enable it before resending");
        }
        http.send(ctx, 202, Out.EMPTY); // Svix's EmptyResponse: SDKs parse the body
    }

    void attemptsByEndpoint(Context ctx) {
        Endpoint e = endpoints.find(ctx);
        var page = s.deliveries().attemptsAtEndpoint(e.id(), http.page(ctx, true), attemptFilter(ctx, null));
        boolean content = Http.boolParam(ctx, "with_content", true);
        if (!Http.boolParam(ctx, "with_msg", false)) {
            http.send(ctx, 200, Out.ListResponse.of(page, a -> Out.MessageAttemptOut.of(a, content, null)));
            return;
        }
        // Svix embeds the message without its payload
        Map<String, Message> messages = s.messages().findAll(e.appId(),
                page.data().stream().map(Attempt::msgId).collect(Collectors.toSet()));
        http.send(ctx, 200, Out.ListResponse.of(page, a -> Out.MessageAttemptOut.of(a, content,
                messages.containsKey(a.msgId()) ? Out.MessageOut.of(messages.get(a.msgId()), false) : null)));
    }

    void attemptsByMessage(Context ctx) {
        Message m = find(ctx);
        String endpointKey = ctx.queryParam("endpoint_id");
        String endpointId = null;
        if (endpointKey != null) {
            endpointId = s.endpoints().find(m.appId(), endpointKey)
                    .orElseThrow(() -> ApiError.notFound("endpoint '" + endpointKey + "'")).id();
        }
        boolean content = Http.boolParam(ctx, "with_content", true);
        http.send(ctx, 200, Out.ListResponse.of(s.deliveries().attemptsOfMessage(m.id(), http.page(ctx, true),
                attemptFilter(ctx, endpointId)), a -> Out.MessageAttemptOut.of(a, content, null)));
    }

    /// The filters of an attempt list, and the endpoint when one is named.
    private static AttemptStore.Filter attemptFilter(Context ctx, String endpointId) {
        Http.boolParam(ctx, "expanded_statuses", false); // checked only: CSV-X has no status it would expand
        return new AttemptStore.Filter(endpointId, Http.intParam(ctx, "status", STATUSES),
                Http.intParam(ctx, "status_code_class", CODE_CLASSES), Http.patternParam(ctx, "channel", CHANNEL),
                Http.patternParam(ctx, "tag", TAG), eventTypes(ctx), Http.instantParam(ctx, "before"),
                Http.instantParam(ctx, "after"));
    }

    void attempt(Context ctx) {
        Message m = find(ctx);
        String id = ctx.pathParam("attempt_id");
        Http.boolParam(ctx, "expanded_statuses", false);
        http.send(ctx, 200, Out.MessageAttemptOut.of(s.deliveries().attempt(m.id(), id)
                .orElseThrow(() -> ApiError.notFound("attempt '" + id + "'")), true, null));
    }

    /// `DELETE …/msg/{msg_id}/content`: the payload gone for good, the message and its attempts kept.
    void expungeContent(Context ctx) {
        s.messages().expungeContent(find(ctx));
        ctx.status(204);
    }

    /// `DELETE …/msg/{msg_id}/attempt/{attempt_id}/content`: the response body gone for good.
    void expungeAttemptContent(Context ctx) {
        Message m = find(ctx);
        String id = ctx.pathParam("attempt_id");
        if (!s.deliveries().expungeResponse(m.id(), id)) {
            throw ApiError.notFound("attempt '" + id + "'");
        }
        ctx.status(204);
    }

    /// `POST …/endpoint/{endpoint_id}/send-example`: an example of the event type, published as a
    /// message of the application and delivered to this endpoint alone.
    void sendExample(Context ctx) {
        Endpoint e = endpoints.find(ctx);
        Input in = http.body(ctx);
        String eventType = in.string("eventType", true, 1, 256, Input.UID);
        Integer index = in.integer("exampleIndex", 0, 1000);
        in.check();
        var type = s.eventTypes().find(eventType)
                .orElseThrow(() -> ApiError.invalid("body", "eventType", "no event type '" + eventType + "'"));
        int at = index == null ? 0 : index;
        Application app = AppRoutes.find(s, ctx);
        ExampleResult sent;
        try {
            sent = s.messages().sendExample(app, e, type, at, Http.now());
        } catch (MessageService.AppGone gone) {
            throw ApiError.notFound("application '" + ctx.pathParam("app_id") + "'");
        }
        switch (sent) {
            case ExampleResult.Sent ok -> http.send(ctx, 202, Out.MessageOut.of(ok.message(), true));
            case ExampleResult.NoExample none -> throw ApiError.invalid("body", at == 0 ? "eventType" : "exampleIndex",
                    at == 0 ? "event type '" + eventType + "' has no schema to make an example from"
                            : "event type '" + eventType + "' has no example " + at);
            case ExampleResult.EndpointDisabled off -> throw ApiError.conflict("endpoint '" + e.id()
                    + "' is disabled; enable it before sending to it");
        }
    }

    /// `GET /api/v1/app/{app_id}/events`: the application's messages oldest first, from an
    /// iterator on, for consumers that poll instead of receiving webhooks. The iterator answered
    /// is where the next poll starts, also when this one found nothing.
    void events(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        var page = http.page(ctx, false);
        if (page.descending()) {
            throw ApiError.invalid("query", "order", "events are read oldest first");
        }
        List<String> channels = Http.listParam(ctx, "channels");
        if (channels != null) {
            for (String c : channels) {
                if (c.length() > 128 || !CHANNEL.matcher(c).matches()) {
                    throw ApiError.invalid("query", "channels", "must be 1 to 128 characters of " + CHANNEL.pattern());
                }
            }
        }
        var filter = new MessageStore.Filter(channels, null, eventTypes(ctx), null, Http.instantParam(ctx, "after"));
        var found = s.messages().list(app.id(), page, filter);
        String next = found.iterator() != null ? found.iterator() : page.iterator();
        http.send(ctx, 200, new Out.ListResponse<>(found.data().stream().map(m -> Out.MessageOut.of(m, true)).toList(),
                next, null, found.done()));
    }

    /// `GET …/attempt/endpoint/{endpoint_id}/count`: how many attempts the list with these filters holds.
    void countByEndpoint(Context ctx) {
        Endpoint e = endpoints.find(ctx);
        http.send(ctx, 200, new Out.CountOut(s.deliveries().countAtEndpoint(e.id(), attemptFilter(ctx, null)), false));
    }

    /// `GET …/msg/{msg_id}/raw`: the payload as the text it was published as.
    void raw(Context ctx) {
        http.send(ctx, 200, new Out.RawPayloadOut(find(ctx).payload()));
    }

    /// `POST …/msg/precheck/active`: whether any endpoint would receive such a message now.
    void precheck(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        Input in = http.body(ctx);
        String eventType = in.string("eventType", true, 1, 256, Input.UID);
        List<String> channels = in.strings("channels", 10, CHANNEL);
        in.check();
        http.send(ctx, 200, new Out.PrecheckOut(s.messages().wouldBeSent(app, eventType, channels)));
    }

    /// Longest range application attempt statistics count over: they scan the range's attempts.
    private static final Duration MAX_STATS_RANGE = Duration.ofDays(31);

    /// `GET /api/v1/app/{app_id}/stats/attempts`: attempts in a range by event type and outcome.
    void attemptStats(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        Instant since = Http.instantParam(ctx, "since");
        Instant until = Http.instantParam(ctx, "until");
        if (since == null || until == null) {
            throw ApiError.invalid("query", since == null ? "since" : "until", "field required");
        }
        if (!until.isAfter(since) || Duration.between(since, until).compareTo(MAX_STATS_RANGE) > 0) {
            throw ApiError.invalid("query", "until", "must be after since, by at most 31 days");
        }
        http.send(ctx, 200, Out.AppAttemptStatsOut.of(s.deliveries().attemptCounts(app.id(), since, until,
                eventTypes(ctx)), since, until));
    }

    private Message find(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        String key = ctx.pathParam("msg_id");
        return s.messages().find(app.id(), key).orElseThrow(() -> ApiError.notFound("message '" + key + "'"));
    }
}
