package io.csvx.http;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.csvx.delivery.Attempt;
import io.csvx.delivery.AttemptStore;
import io.csvx.delivery.BackgroundTask;
import io.csvx.endpoint.Endpoint;
import io.csvx.job.PipelineDefinition;
import io.csvx.message.DeliveryState;
import io.csvx.message.EventType;
import io.csvx.message.EventTypeService;
import io.csvx.message.Message;
import io.csvx.source.InboundRequest;
import io.csvx.store.Page;
import io.csvx.tenant.Application;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/// The JSON shapes the API answers with, named and laid out as in the Svix v1 API.
final class Out {
    private Out() {
    }

    record ListResponse<T>(List<T> data, String iterator, String prevIterator, boolean done) {
        static <S, T> ListResponse<T> of(Page<S> page, Function<S, T> map) {
            return new ListResponse<>(page.data().stream().map(map).toList(), page.iterator(), null, page.done());
        }
    }

    /// `rateLimit` and `filterTypes` repeat `throttleRate` and `eventTypes` under the names newer Svix SDKs read.
    record ApplicationOut(String id, String uid, String name, Integer throttleRate, Integer rateLimit,
                          @JsonRawValue String metadata, Instant createdAt, Instant updatedAt) {
        static ApplicationOut of(Application a) {
            return new ApplicationOut(a.id(), a.uid(), a.name(), a.throttleRate(), a.throttleRate(), a.metadata(),
                    a.createdAt(), a.updatedAt());
        }
    }

    /// `format`, `filter` and `ordering` are CSV-X's extensions (null: the payload as published; every
    /// payload; `off`).
    record EndpointOut(String id, String uid, String url, String description, boolean disabled, List<String> eventTypes,
                       List<String> filterTypes, List<String> channels, Integer throttleRate, Integer rateLimit,
                       @JsonRawValue String metadata, Instant createdAt, Instant updatedAt, @JsonRawValue String format,
                       String filter, String ordering) {
        static EndpointOut of(Endpoint e) {
            return new EndpointOut(e.id(), e.uid(), e.url(), e.description(), e.disabled(), e.eventTypes(), e.eventTypes(),
                    e.channels(), e.throttleRate(), e.throttleRate(), e.metadata(), e.createdAt(), e.updatedAt(),
                    e.format() == null ? null : e.format().toString(), e.filter(), e.ordering().wire());
        }
    }

    record EndpointSecretOut(String key) {
    }

    record EndpointHeadersOut(Map<String, String> headers, List<String> sensitive) {
    }

    /// Svix's EndpointStats, and CSV-X's backlog: `due` deliveries waiting now, `oldestDue` the
    /// time the oldest of them became due (null when none).
    record EndpointStats(long success, long pending, long fail, long sending, long canceled, long due,
                         Instant oldestDue) {
    }

    /// Svix's RecoverOut and ReplayOut: a task just started.
    record RecoverOut(String id, String status, String task, Instant updatedAt) {
        static RecoverOut of(BackgroundTask t) {
            return new RecoverOut(t.id(), t.status().wire(), t.kind().wire, t.updatedAt());
        }
    }

    /// `data`: the endpoint, the range and filters, how many messages the task looked at and how
    /// many deliveries it made due, and why it failed.
    record BackgroundTaskOut(String id, String status, String task, Map<String, Object> data, Instant updatedAt) {
        static BackgroundTaskOut of(BackgroundTask t) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("appId", t.appId());
            data.put("endpointId", t.endpointId());
            BackgroundTask.Params p = t.params();
            data.put("since", p.since());
            data.put("until", p.until());
            if (p.eventTypes() != null) {
                data.put("eventTypes", p.eventTypes());
            }
            if (p.channel() != null) {
                data.put("channel", p.channel());
            }
            if (p.tag() != null) {
                data.put("tag", p.tag());
            }
            if (p.status() != null) {
                data.put("status", p.status());
            }
            if (p.statusCodeClass() != null) {
                data.put("statusCodeClass", p.statusCodeClass());
            }
            data.put("messagesScanned", t.scanned());
            data.put("deliveriesScheduled", t.scheduled());
            if (t.error() != null) {
                data.put("error", t.error());
            }
            return new BackgroundTaskOut(t.id(), t.status().wire(), t.kind().wire, data, t.updatedAt());
        }
    }

    /// `featureFlag` is the first of `featureFlags`, for SDKs that read the older field.
    record EventTypeOut(String name, String description, boolean archived, boolean deprecated, String featureFlag,
                        List<String> featureFlags, String groupName, @JsonRawValue String schemas, Instant createdAt,
                        Instant updatedAt) {
        static EventTypeOut of(EventType t) {
            return new EventTypeOut(t.name(), t.description(), t.archived(), t.deprecated(), t.featureFlag(),
                    t.featureFlags(), t.groupName(), t.schemas(),
                    t.createdAt(), t.updatedAt());
        }
    }

    /// Svix's EventTypeImportOpenApiOut: `modified` names what changed (or, on a dry run, what
    /// would), `to_modify` describes it on a dry run; `archived` (CSV-X's) names what
    /// `replaceAll` archived.
    record ImportOut(ImportData data) {
        record ImportData(List<String> modified, List<FromOpenApi> to_modify, List<String> archived) {
        }

        record FromOpenApi(String name, String description, @JsonRawValue String schemas, boolean deprecated,
                           List<String> featureFlags, String groupName) {
        }

        static ImportOut of(EventTypeService.Imported i, boolean dryRun) {
            return new ImportOut(new ImportData(i.modified().stream().map(EventType::name).toList(),
                    dryRun ? i.modified().stream().map(t -> new FromOpenApi(t.name(), t.description(), t.schemas(),
                            t.deprecated(), t.featureFlags(), t.groupName())).toList() : null, i.archived()));
        }
    }

    /// Svix's AppAttemptStatsOut; CSV-X cancels no attempt, so the canceled counts are 0.
    record AppAttemptStatsOut(Map<String, EventTypeStats> by_event_type, long total_success, long total_failure,
                              long total_canceled, Instant since, Instant until) {
        record EventTypeStats(long success, long failure, long canceled) {
        }

        static AppAttemptStatsOut of(List<AttemptStore.Count> counts, Instant since, Instant until) {
            Map<String, long[]> by = new java.util.TreeMap<>();
            long ok = 0;
            long failed = 0;
            for (AttemptStore.Count c : counts) {
                long[] n = by.computeIfAbsent(c.eventType(), k -> new long[2]);
                if (c.status() == DeliveryState.SUCCESS) {
                    n[0] += c.count();
                    ok += c.count();
                } else {
                    n[1] += c.count();
                    failed += c.count();
                }
            }
            Map<String, EventTypeStats> out = new LinkedHashMap<>();
            by.forEach((type, n) -> out.put(type, new EventTypeStats(n[0], n[1], 0)));
            return new AppAttemptStatsOut(out, ok, failed, 0, since, until);
        }
    }

    /// Svix's CountOut; CSV-X counts exactly.
    record CountOut(long count, boolean approximated) {
    }

    /// Svix's MessageRawPayloadOut.
    record RawPayloadOut(String payload) {
    }

    /// Svix's MessagePrecheckOut.
    record PrecheckOut(boolean active) {
    }

    /// Svix's `EmptyResponse`.
    record EmptyOut() {
    }

    /// The body sent for [EmptyOut] (Jackson writes no record without components).
    static final Map<String, Object> EMPTY = Map.of();

    /// `orderingKey` is CSV-X's extension.
    record MessageOut(String id, String eventId, String eventType, List<String> channels, List<String> tags,
                      @JsonRawValue String payload, Instant timestamp, Instant deliverAt, String orderingKey) {
        static MessageOut of(Message m, boolean withContent) {
            return new MessageOut(m.id(), m.eventId(), m.eventType(), m.channels(), m.tags(),
                    withContent ? m.payload() : "{}", m.timestamp(), m.deliverAt(), m.orderingKey());
        }
    }

    record EndpointMessageOut(String id, String eventId, String eventType, List<String> channels, List<String> tags,
                              @JsonRawValue String payload, Instant timestamp, int status, String statusText,
                              Instant nextAttempt, Instant deliverAt) {
        static EndpointMessageOut of(Message m, DeliveryState s, boolean withContent) {
            return new EndpointMessageOut(m.id(), m.eventId(), m.eventType(), m.channels(), m.tags(),
                    withContent ? m.payload() : "{}", m.timestamp(), s.status(), DeliveryState.text(s.status()),
                    s.nextAttempt(), m.deliverAt());
        }
    }

    record MessageEndpointOut(String id, String uid, String url, String description, boolean disabled,
                              List<String> eventTypes, List<String> filterTypes, List<String> channels,
                              Integer throttleRate, Integer rateLimit, Instant createdAt, Instant updatedAt, int status,
                              String statusText, Instant nextAttempt) {
        static MessageEndpointOut of(Endpoint e, DeliveryState s) {
            return new MessageEndpointOut(e.id(), e.uid(), e.url(), e.description(), e.disabled(), e.eventTypes(),
                    e.eventTypes(), e.channels(), e.throttleRate(), e.throttleRate(), e.createdAt(), e.updatedAt(),
                    s.status(), DeliveryState.text(s.status()), s.nextAttempt());
        }
    }

    record MessageAttemptOut(String id, String msgId, String endpointId, String url, String response,
                             int responseStatusCode, long responseDurationMs, int status, String statusText,
                             int triggerType, Instant timestamp, String error, MessageOut msg) {
        /// `withContent` false leaves the response body out; `msg` is embedded when given.
        static MessageAttemptOut of(Attempt a, boolean withContent, MessageOut msg) {
            return new MessageAttemptOut(a.id(), a.msgId(), a.endpointId(), a.url(), withContent ? a.response() : "",
                    a.statusCode(), a.durationMs(), a.status(), DeliveryState.text(a.status()), a.triggerType(),
                    a.timestamp(), a.error(), msg);
        }
    }

    /// `steps` and `output` as given; `trigger` is `{"event": "file.uploaded", "glob": …}`,
    /// `{"event": "job.completed", "pipeline": …, "glob": …}` or null.
    record PipelineOut(String id, String uid, String name, @JsonRawValue String steps, @JsonRawValue String output,
                       @JsonRawValue String alerts, Map<String, String> trigger, Instant createdAt, Instant updatedAt) {
        static PipelineOut of(PipelineDefinition p) {
            var output = p.definition().get("output");
            var alerts = p.definition().get("alerts");
            return new PipelineOut(p.id(), p.uid(), p.name(), p.definition().path("steps").toString(),
                    output == null ? null : output.toString(), alerts == null ? null : alerts.toString(), Out.trigger(p),
                    p.createdAt(), p.updatedAt());
        }
    }

    /// `verification` with its secrets shown as `[hidden]`; `ingestUrl` is where senders POST.
    record SourceOut(String id, String uid, String name, String ingestUrl, @JsonRawValue String verification,
                     @JsonRawValue String action, @JsonRawValue String dedup, Instant createdAt, Instant updatedAt) {
    }

    /// A request a source received; `body` is text, or base64 when `bodyBase64`.
    record InboundRequestOut(String id, String status, boolean verified, String detail, String dedupKey,
                             Map<String, String> headers, String body, boolean bodyBase64, String bodyFileId, long size,
                             @JsonRawValue String outcome, String replayOf, Instant receivedAt) {
        static InboundRequestOut of(InboundRequest r) {
            return new InboundRequestOut(r.id(), r.status().wire(), r.verified(), r.detail(), r.dedupKey(), r.headers(), r.body(),
                    r.bodyBase64(), r.bodyFile(), r.size(), r.outcome(), r.replayOf(), r.receivedAt());
        }
    }

    private static Map<String, String> trigger(PipelineDefinition p) {
        if (p.triggerEvent() == null) {
            return null;
        }
        Map<String, String> t = new LinkedHashMap<>();
        t.put("event", p.triggerEvent());
        if (p.triggerPipeline() != null) {
            t.put("pipeline", p.triggerPipeline());
        }
        if (p.triggerGlob() != null) {
            t.put("glob", p.triggerGlob().text());
        }
        return t;
    }

    record HttpErrorOut(String code, String detail) {
    }

    record ValidationErrorOut(List<ApiError.Item> detail) {
    }
}
