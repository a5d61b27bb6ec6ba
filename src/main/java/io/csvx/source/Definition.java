package io.csvx.source;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.csvx.config.Durations;
import io.csvx.message.EventType;
import java.time.Duration;
import java.util.Locale;

/// A source's definition, parsed and checked: how it verifies, what it does, how it spots duplicates.
record Definition(Verification verification, Action action, Dedup dedup) {

    /// What a verified request does.
    sealed interface Action permits Emit, RunPipeline {
    }

    /// `{"type": "emit", "eventType": "order.updated", "pointer": "/data"}`: publishes the body (or
    /// the object at the JSON pointer) as a message of that type to the application's endpoints.
    record Emit(String eventType, JsonPointer pointer) implements Action {
    }

    /// `{"type": "pipeline", "pipelineId": "pl_…", "urlPointer": "/file/url"}`: runs the pipeline on
    /// the body as CSV, or, with `urlPointer`, on the file at the URL found there in a JSON body.
    record RunPipeline(String pipelineId, JsonPointer urlPointer) implements Action {
    }

    /// A request repeats an earlier one when it has the same key, from `header` or the JSON body at
    /// `pointer`, within `window` of it.
    record Dedup(String header, JsonPointer pointer, Duration window) {
    }

    static Definition parse(JsonNode verification, JsonNode action, JsonNode dedup) {
        Verification v = Verification.parse(verification);
        return new Definition(v, action(action), dedup(dedup, v));
    }

    private static Action action(JsonNode a) {
        if (a == null || !a.isObject()) {
            throw new SourceException("action", "required: {\"type\": \"emit\", \"eventType\": …} or"
                    + " {\"type\": \"pipeline\", \"pipelineId\": …}");
        }
        String type = a.path("type").asText("");
        return switch (type) {
            case "emit" -> {
                String eventType = a.path("eventType").asText("");
                if (!EventType.isName(eventType)) {
                    throw new SourceException("action.eventType", "required: an event type name such as order.updated");
                }
                yield new Emit(eventType, pointer(a, "action.pointer"));
            }
            case "pipeline" -> {
                String id = a.path("pipelineId").asText("");
                if (id.isEmpty()) {
                    throw new SourceException("action.pipelineId", "required: the id or uid of a pipeline");
                }
                yield new RunPipeline(id, pointer(a, "action.urlPointer"));
            }
            default -> throw new SourceException("action.type", "emit or pipeline"
                    + (type.isEmpty() ? " (required)" : "; not '" + type + "'"));
        };
    }

    private static Dedup dedup(JsonNode d, Verification v) {
        Duration window = Duration.ofHours(24);
        if (d == null || d.isNull()) {
            if (v instanceof Verification.Stripe) {
                return new Dedup(null, JsonPointer.compile("/id"), window); // Stripe's event id
            }
            return v.deliveryIdHeader() == null ? null : new Dedup(v.deliveryIdHeader(), null, window);
        }
        if (!d.isObject()) {
            throw new SourceException("dedup", "an object: {\"header\": …} or {\"jsonPointer\": …}, with an optional window");
        }
        if (d.hasNonNull("window")) {
            try {
                window = Durations.parse(d.get("window").asText());
            } catch (IllegalArgumentException e) {
                throw new SourceException("dedup.window", "a duration such as 24h or 30m");
            }
            if (window.compareTo(IngestService.REQUEST_RETENTION) > 0) {
                throw new SourceException("dedup.window", "at most 30d, how long received requests are kept");
            }
        }
        String header = d.hasNonNull("header") ? d.get("header").asText().toLowerCase(Locale.ROOT) : null;
        JsonPointer pointer = pointer(d, "dedup.jsonPointer");
        if ((header == null) == (pointer == null)) {
            throw new SourceException("dedup", "give one of header or jsonPointer");
        }
        return new Dedup(header, pointer, window);
    }

    /// The JSON pointer at `path` (`action.pointer`): its last part is the field of `n`.
    private static JsonPointer pointer(JsonNode n, String path) {
        JsonNode p = n.get(path.substring(path.indexOf('.') + 1));
        if (p == null || p.isNull()) {
            return null;
        }
        try {
            if (!p.isTextual() || !p.asText().startsWith("/")) {
                throw new IllegalArgumentException();
            }
            return JsonPointer.compile(p.asText());
        } catch (IllegalArgumentException e) {
            throw new SourceException(path, "a JSON pointer such as /data/id");
        }
    }
}
