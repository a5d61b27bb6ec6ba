package io.csvx.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.delivery.OutgoingFormat;
import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.Ordering;
import io.csvx.endpoint.EndpointService;
import io.csvx.message.Message;
import io.csvx.store.StoreException;
import io.csvx.tenant.Application;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/// `/api/v1/app/{app_id}/endpoint`: endpoints, their headers, secrets, recovery and stats.
final class EndpointRoutes {
    private static final Pattern SECRET = Pattern.compile("^(whsec_)?[a-zA-Z0-9+/=]{32,100}$");

    private final Services s;
    private final Http http;
    private final Function<Context, Application> appOf;

    /// `appOf` resolves the application a request's endpoints belong to: the path's, or the
    /// operational webhooks' own.
    EndpointRoutes(Services s, Http http, Function<Context, Application> appOf) {
        this.s = s;
        this.http = http;
        this.appOf = appOf;
    }

    void create(Context ctx) {
        Application app = appOf.apply(ctx);
        Input in = http.body(ctx);
        Instant now = Http.now();
        Endpoint e = read(in, app.id(), s.ids().next("ep_"), now, now);
        String secret = in.string("secret", false, 32, 106, SECRET);
        in.check();
        if (secret != null) {
            validKey(secret);
        }
        http.send(ctx, 201, Out.EndpointOut.of(insert(e, secret)));
    }

    private Endpoint insert(Endpoint e, String secret) {
        try {
            return s.endpoints().create(e, secret);
        } catch (StoreException.Conflict c) {
            throw ApiError.conflict("an endpoint with uid '" + e.uid() + "' already exists in this application");
        }
    }

    void list(Context ctx) {
        Application app = appOf.apply(ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.endpoints().list(app.id(), http.page(ctx, false)),
                Out.EndpointOut::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, Out.EndpointOut.of(find(ctx)));
    }

    void put(Context ctx) {
        Application app = appOf.apply(ctx);
        String key = ctx.pathParam("endpoint_id");
        var existing = s.endpoints().find(app.id(), key);
        Input in = http.body(ctx);
        Instant now = Http.now();
        if (existing.isEmpty()) {
            String uid = Input.uidToCreate(key, "endpoint_id", "ep_", "endpoint");
            Endpoint fresh = read(in, app.id(), s.ids().next("ep_"), now, now);
            in.check();
            if (fresh.uid() != null && !fresh.uid().equals(uid)) {
                throw ApiError.invalid("body", "uid", "'" + fresh.uid() + "' differs from the uid in the path, '" + uid
                        + "', under which PUT creates the endpoint");
            }
            fresh = copy(fresh, uid, fresh.url(), fresh.description(), fresh.disabled(), fresh.eventTypes(),
                    fresh.channels(), fresh.throttleRate(), fresh.metadata(), fresh.headers(), now);
            http.send(ctx, 201, Out.EndpointOut.of(insert(fresh, null)));
            return;
        }
        Endpoint old = existing.get();
        Endpoint next = read(in, app.id(), old.id(), old.createdAt(), now);
        in.check();
        // a body without a uid keeps the endpoint's: a repeated PUT on a uid finds the same one
        String uid = next.uid() != null ? next.uid() : old.uid();
        http.send(ctx, 200, Out.EndpointOut.of(update(copy(old, uid, next.url(), next.description(), next.disabled(),
                next.eventTypes(), next.channels(), next.throttleRate(), next.metadata(), old.headers(), now)
                .withFormat(next.format()).withFilter(next.filter()).withOrdering(next.ordering()))));
    }

    void patch(Context ctx) {
        Endpoint old = find(ctx);
        Input in = http.body(ctx);
        Fields f = Fields.read(in, true);
        in.check();
        Endpoint next = copy(old, in.has("uid") ? f.uid() : old.uid(), f.url() != null ? f.url() : old.url(),
                f.description() != null ? f.description() : old.description(),
                f.disabled() != null ? f.disabled() : old.disabled(),
                in.has(in.either("eventTypes", "filterTypes")) ? f.eventTypes() : old.eventTypes(),
                in.has("channels") ? f.channels() : old.channels(),
                in.has(in.either("throttleRate", "rateLimit")) ? f.throttleRate() : old.throttleRate(),
                f.metadata() != null ? http.json().valueToTree(f.metadata()).toString() : old.metadata(), old.headers(),
                Http.now()).withFormat(in.has("format") ? f.format() : old.format())
                .withFilter(in.has("filter") ? f.filter() : old.filter())
                .withOrdering(in.has("ordering") ? f.ordering() : old.ordering());
        http.send(ctx, 200, Out.EndpointOut.of(update(next)));
    }

    void delete(Context ctx) {
        s.endpoints().delete(find(ctx));
        ctx.status(204);
    }

    void getHeaders(Context ctx) {
        Endpoint e = find(ctx);
        Map<String, String> visible = new LinkedHashMap<>();
        List<String> sensitive = new ArrayList<>();
        e.headers().forEach((k, v) -> {
            if (EndpointService.isSensitive(k)) {
                sensitive.add(k);
            } else {
                visible.put(k, v);
            }
        });
        http.send(ctx, 200, new Out.EndpointHeadersOut(visible, sensitive));
    }

    void putHeaders(Context ctx) {
        setHeaders(ctx, false);
    }

    void patchHeaders(Context ctx) {
        setHeaders(ctx, true);
    }

    private void setHeaders(Context ctx, boolean merge) {
        Endpoint e = find(ctx);
        Input in = http.body(ctx);
        Map<String, String> given = in.stringMap("headers");
        if (given == null && (!in.has("headers") || in.isNull("headers"))) {
            in.reject("headers", "field required: an object of header names to values");
        }
        if (given != null) {
            given.forEach((name, value) -> EndpointService.headerProblem(name, value)
                    .ifPresent(problem -> in.reject("headers", problem)));
        }
        in.check();
        Map<String, String> next = new LinkedHashMap<>(merge ? e.headers() : Map.of());
        given.forEach((k, v) -> {
            if (v == null) {
                next.remove(k);
            } else {
                next.put(k, v);
            }
        });
        update(copy(e, e.uid(), e.url(), e.description(), e.disabled(), e.eventTypes(), e.channels(), e.throttleRate(),
                e.metadata(), next, Http.now()));
        ctx.status(204);
    }

    void getSecret(Context ctx) {
        Endpoint e = find(ctx);
        http.send(ctx, 200, new Out.EndpointSecretOut(s.endpoints().currentSecret(e, Http.now())));
    }

    void rotateSecret(Context ctx) {
        Endpoint e = find(ctx);
        byte[] raw = Http.bytes(ctx, Http.MAX_BODY);
        String key = null;
        long grace = 86_400;
        if (raw.length > 0) {
            Http.requireJson(ctx);
            Input in = Input.parse(raw, http.json());
            key = in.string("key", false, 32, 106, SECRET);
            Integer g = in.integer("gracePeriodSeconds", 0, 604_800);
            in.check();
            if (g != null) {
                grace = g;
            }
        }
        if (key != null) {
            validKey(key);
        }
        s.endpoints().rotateSecret(e, key, Http.now(), Duration.ofSeconds(grace));
        ctx.status(204);
    }

    void stats(Context ctx) {
        Endpoint e = find(ctx);
        Instant now = Http.now();
        var st = s.endpoints().stats(e, now, Http.instantParam(ctx, "since"), Http.instantParam(ctx, "until"));
        var backlog = s.endpoints().backlog(e, now);
        http.send(ctx, 200, new Out.EndpointStats(st.success(), st.pending(), st.fail(), st.sending(), 0, backlog.due(),
                backlog.oldestDue()));
    }

    Endpoint find(Context ctx) {
        Application app = appOf.apply(ctx);
        String key = ctx.pathParam("endpoint_id");
        return s.endpoints().find(app.id(), key).orElseThrow(() -> ApiError.notFound("endpoint '" + key + "'"));
    }

    private Endpoint update(Endpoint e) {
        try {
            return s.endpoints().update(e);
        } catch (StoreException.Conflict c) {
            throw ApiError.conflict("an endpoint with uid '" + e.uid() + "' already exists in this application");
        }
    }

    /// The fields of EndpointIn, EndpointUpdate and EndpointPatch; a patch requires none.
    private record Fields(String url, String uid, String description, Boolean disabled, List<String> eventTypes,
                          List<String> channels, Integer throttleRate, Map<String, String> metadata, ObjectNode format,
                          String filter, Ordering ordering) {
        static Fields read(Input in, boolean patch) {
            String url = in.string("url", !patch, 1, 65536, null);
            if (url != null) {
                checkUrl(in, url);
            }
            return new Fields(url, in.string("uid", false, 1, 256, Input.UID),
                    in.string("description", false, 0, 65536, null), in.bool("disabled"),
                    in.strings(in.either("eventTypes", "filterTypes"), 1000, Input.UID),
                    in.strings("channels", EndpointService.MAX_CHANNELS, Message.CHANNEL),
                    in.integer(in.either("throttleRate", "rateLimit"), patch ? 0 : 1, EndpointService.MAX_RATE),
                    in.metadata(),
                    format(in), filter(in), ordering(in));
        }

        /// `ordering` (CSV-X's extension): `off` (or absent), `block` or `skip`.
        private static Ordering ordering(Input in) {
            String o = in.string("ordering", false, 0, 16, null);
            if (o == null) {
                return Ordering.OFF;
            }
            return Ordering.of(o).orElseGet(() -> {
                in.reject("ordering", "must be one of off, block, skip");
                return Ordering.OFF;
            });
        }

        /// `filter` (CSV-X's extension): a condition over the payload; null, absent or "" for none.
        private static String filter(Input in) {
            String f = in.string("filter", false, 0, EndpointService.MAX_FILTER, null);
            if (f == null || f.isBlank()) {
                return null;
            }
            EndpointService.filterProblem(f).ifPresent(problem -> in.reject("filter", problem));
            return f.strip();
        }

        /// `format` (CSV-X's extension): what the endpoint receives; null or absent is the payload as published.
        private static ObjectNode format(Input in) {
            var f = in.raw().get("format");
            try {
                return OutgoingFormat.parse(f) == OutgoingFormat.RAW ? null : (ObjectNode) f;
            } catch (IllegalArgumentException e) {
                in.reject("format", e.getMessage());
                return null;
            }
        }
    }

    /// Reads an EndpointIn or EndpointUpdate; the caller calls `in.check()`.
    private Endpoint read(Input in, String appId, String id, Instant createdAt, Instant now) {
        Fields f = Fields.read(in, false);
        return new Endpoint(id, appId, f.uid(), f.url(), f.description() == null ? "" : f.description(),
                Boolean.TRUE.equals(f.disabled()), f.eventTypes(), f.channels(), f.throttleRate(),
                f.metadata() == null ? "{}" : http.json().valueToTree(f.metadata()).toString(), Map.of(), null,
                createdAt, now, f.format(), f.filter(), f.ordering());
    }

    private static void checkUrl(Input in, String url) {
        EndpointService.urlProblem(url).ifPresent(problem -> in.reject("url", problem));
    }

    private static void validKey(String secret) {
        if (!EndpointService.validSecret(secret)) {
            throw ApiError.invalid("body", "secret", "is not valid base64");
        }
    }

    private static Endpoint copy(Endpoint e, String uid, String url, String description, boolean disabled,
                                 List<String> eventTypes, List<String> channels, Integer throttle, String metadata,
                                 Map<String, String> headers, Instant now) {
        return new Endpoint(e.id(), e.appId(), uid, url, description, disabled, eventTypes, channels, throttle, metadata,
                headers, e.disabled() && !disabled ? null : e.failingSince(), e.createdAt(), now, e.format(), e.filter(),
                e.ordering());
    }
}
