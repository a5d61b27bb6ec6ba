package io.csvx.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// One of a pipeline's `alerts`: `{"name": "many rejects", "when": "rejectedPercent > 5",
/// "eventType": "job.alert"}`, a condition in the filter language over a finished job's
/// [#FIGURES] and, when the pipeline ends in `aggregate` and wrote a single group, that group's
/// columns. A condition naming anything else is refused when the pipeline is parsed.
public final class Alert {
    /// A finished job's figures an alert may name.
    public static final List<String> FIGURES = List.of("rowsRead", "rowsWritten", "rowsRejected", "rowsSkipped",
            "rejectedPercent");
    /// The event an alert publishes unless it names another.
    public static final String DEFAULT_EVENT = "job.alert";

    private final String name;
    private final String when;
    private final String eventType;
    private final Condition condition;

    private Alert(String name, String when, String eventType, Condition condition) {
        this.name = name;
        this.when = when;
        this.eventType = eventType;
        this.condition = condition;
    }

    public String name() {
        return name;
    }

    /// The condition as written.
    public String when() {
        return when;
    }

    public String eventType() {
        return eventType;
    }

    /// The fields its condition names.
    public List<String> fields() {
        return condition.fields();
    }

    /// Whether it fires for `values` (by field name; an absent one reads as empty).
    public boolean fires(Map<String, String> values) {
        String[] v = new String[condition.fields().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.getOrDefault(condition.fields().get(i), "");
        }
        return condition.test(v);
    }

    /// `alerts` of a definition; `groupColumns` are the aggregate's output columns (empty without one).
    static List<Alert> parse(JsonNode node, List<String> groupColumns) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new PipelineException("alerts: a list of {\"name\": …, \"when\": …, \"eventType\": …}");
        }
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode a = node.get(i);
            String where = "alerts[" + i + "]";
            if (!a.isObject()) {
                throw new PipelineException(where + ": an object with name, when and optionally eventType");
            }
            for (var it = a.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!List.of("name", "when", "eventType").contains(f)) {
                    throw new PipelineException(where + "." + f + ": unknown; an alert has name, when and eventType");
                }
            }
            JsonNode name = a.get("name");
            if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > 256) {
                throw new PipelineException(where + ".name: required, text of at most 256 characters");
            }
            JsonNode when = a.get("when");
            if (when == null || !when.isTextual() || when.asText().isBlank()) {
                throw new PipelineException(where + ".when: required, a condition such as \"rejectedPercent > 5\"");
            }
            JsonNode type = a.get("eventType");
            if (type != null && (!type.isTextual() || !type.asText().matches("^[a-zA-Z0-9\\-_.]{1,256}$"))) {
                throw new PipelineException(where + ".eventType: an event type name such as \"report.alert\"");
            }
            Condition c;
            try {
                c = Condition.compile(when.asText());
            } catch (PipelineException e) {
                throw new PipelineException(where + ".when: " + e.getMessage());
            }
            for (String f : c.fields()) {
                if (!FIGURES.contains(f) && !groupColumns.contains(f)) {
                    throw new PipelineException(where + ".when: '" + f + "' is neither a figure of the job ("
                            + String.join(", ", FIGURES) + ")" + (groupColumns.isEmpty()
                            ? " nor, as the pipeline has no aggregate step, a column of its single group"
                            : " nor a column of its aggregate (" + String.join(", ", groupColumns) + ")"));
                }
            }
            alerts.add(new Alert(name.asText(), when.asText(), type == null ? DEFAULT_EVENT : type.asText(), c));
        }
        return List.copyOf(alerts);
    }
}
