package io.csvx.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/// A pipeline definition: ordered steps and an output format.
///
/// ```json
/// {"name": "clean orders",
///  "steps": [{"select": ["id", "email", "amount"]}, {"filter": "amount > 0"}, {"trim": []},
///            {"normalize": {"email": "lower"}}, {"dedupe": ["id"]},
///            {"validate": {"email": {"type": "email", "required": true}, "amount": {"type": "decimal", "min": 0}}}],
///  "output": {"format": "ndjson"}}
/// ```
///
/// Each step is an object with one key, its kind. Steps: `select` and `drop` (column lists),
/// `rename` (old to new), `filter` (an [Expression]), `trim` (columns, or `[]` for all),
/// `normalize` (column to `lower`, `upper` or `collapse`), `dedupe` (key columns), `validate`
/// (column to rule: `type` of string, integer, decimal, boolean, date, email or enum with
/// `values`; `required`; `pattern`; `min` and `max`, on the value for numbers, else the length),
/// and last, `sort` (key columns, each ascending or `{"column": …, "order": "desc"}`) and
/// `split` (rows per output chunk), or instead of them `aggregate` (one row per group: see
/// [Aggregate]). `output` has `format` and, for a job run on a server,
/// `deliver`: `true` or `{"batchSize": N}` publishes the written rows as `records.batch` messages.
/// `alerts` (see [Alert]) publish an event when a finished job's figures meet their condition.
public final class Pipeline {
    // text after the definition is a mistake, not something to ignore
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /// Rows per `records.batch` message unless `output.deliver.batchSize` says otherwise.
    public static final int DEFAULT_BATCH = 100;
    static final int MAX_BATCH = 1000;

    private final String name;
    private final List<Step> steps;
    private final List<SortKey> sort;
    private final Aggregate aggregate;
    private final List<Alert> alerts;
    private final int split;
    private final String outputFormat;
    private final int deliverBatch;

    private Pipeline(String name, List<Step> steps, List<SortKey> sort, Aggregate aggregate, List<Alert> alerts, int split,
                     String outputFormat, int deliverBatch) {
        this.deliverBatch = deliverBatch;
        this.alerts = alerts;
        this.aggregate = aggregate;
        this.name = name;
        this.steps = List.copyOf(steps);
        this.sort = List.copyOf(sort);
        this.split = split;
        this.outputFormat = outputFormat;
    }

    /// Rows per `records.batch` message when the output is delivered as webhooks, else 0.
    public int deliverBatch() {
        return deliverBatch;
    }

    /// Rows per output chunk, or 0 for one output.
    public int split() {
        return split;
    }

    public String name() {
        return name;
    }

    /// The `alerts`, checked against the job's figures and the aggregate's columns.
    public List<Alert> alerts() {
        return alerts;
    }

    /// Whether it ends in `aggregate`.
    public boolean aggregates() {
        return aggregate != null;
    }

    /// The `output.format` of the definition, or null.
    public String outputFormat() {
        return outputFormat;
    }

    /// Parses a definition; [PipelineException] names the step and field at fault.
    public static Pipeline parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // without the settings Jackson names when it points at where an object began
            throw new PipelineException("the pipeline is not valid JSON: " + String.valueOf(e.getOriginalMessage())
                    .replaceAll(" \\(start marker at \\[Source: [^\\]]*\\]\\)", "")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new PipelineException("the pipeline must be a JSON object with \"steps\"");
        }
        JsonNode stepsNode = root.get("steps");
        if (stepsNode == null || !stepsNode.isArray()) {
            throw new PipelineException("steps: required, an array of steps");
        }
        List<Step> steps = new ArrayList<>();
        List<SortKey> sort = List.of();
        Aggregate aggregate = null;
        int split = 0;
        for (int i = 0; i < stepsNode.size(); i++) {
            JsonNode node = stepsNode.get(i);
            boolean one = node != null && node.isObject() && node.size() == 1;
            String where = "steps[" + i + "]";
            if (one && node.has("aggregate")) {
                if (i != stepsNode.size() - 1 || !sort.isEmpty()) {
                    throw new PipelineException(where + " (aggregate): aggregate must be the last step (its groups come"
                            + " out in group order; sort and split do not go with it)");
                }
                aggregate = Aggregate.parse(node.get("aggregate"), where + " (aggregate)");
            } else if (one && node.has("sort")) {
                if (split > 0 || !sort.isEmpty() || i < stepsNode.size() - 2
                        || i == stepsNode.size() - 2 && !stepsNode.get(i + 1).has("split")) {
                    throw new PipelineException(where + " (sort): sort must be the last step (only split may follow)");
                }
                sort = sortKeys(node.get("sort"), where + " (sort)");
            } else if (one && node.has("split")) {
                if (i != stepsNode.size() - 1) {
                    throw new PipelineException(where + " (split): split must be the last step");
                }
                JsonNode n = node.get("split");
                if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
                    throw new PipelineException(where + " (split): rows per chunk, a whole number of at least 1");
                }
                split = n.asInt();
            } else {
                steps.add(step(node, i));
            }
        }
        String format = null;
        int deliver = 0;
        JsonNode output = root.get("output");
        if (output != null && !output.isNull()) {
            if (!output.isObject()) {
                throw new PipelineException("output: an object such as {\"format\": \"ndjson\"}");
            }
            JsonNode f = output.get("format");
            if (f != null && (!f.isTextual() || Arrays.stream(Format.values())
                    .noneMatch(known -> known.name().toLowerCase(Locale.ROOT).equals(f.asText())))) {
                throw new PipelineException("output.format: one of json, ndjson, xml, csv, tsv");
            }
            format = f == null ? null : f.asText();
            deliver = deliver(output.get("deliver"));
            for (var it = output.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!field.equals("format") && !field.equals("deliver")) {
                    throw new PipelineException("output." + field + ": unknown; output has format and deliver");
                }
            }
        }
        List<Alert> alerts = Alert.parse(root.get("alerts"), aggregate == null ? List.of() : aggregate.columns());
        return new Pipeline(root.path("name").asText(""), steps, sort, aggregate, alerts, split, format, deliver);
    }

    /// `deliver`: absent or false for none, true for batches of [#DEFAULT_BATCH] rows, or `{"batchSize": N}`.
    private static int deliver(JsonNode d) {
        if (d == null || d.isNull() || d.isBoolean() && !d.asBoolean()) {
            return 0;
        }
        if (d.isBoolean()) {
            return DEFAULT_BATCH;
        }
        JsonNode size = d.isObject() ? d.get("batchSize") : null;
        if (d.isObject() && d.size() == 0) {
            return DEFAULT_BATCH;
        }
        if (size == null || d.size() != 1 || !size.isIntegralNumber() || size.asLong() < 1 || size.asLong() > MAX_BATCH) {
            throw new PipelineException("output.deliver: true, or {\"batchSize\": N} with N from 1 to " + MAX_BATCH);
        }
        return size.asInt();
    }

    private static Step step(JsonNode node, int i) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new PipelineException("steps[" + i + "]: a step is an object with one key, its kind (select, drop, "
                    + "rename, filter, trim, normalize, dedupe, validate, sort, split, aggregate)");
        }
        String kind = node.fieldNames().next();
        String where = "steps[" + i + "] (" + kind + ")";
        JsonNode arg = node.get(kind);
        return switch (kind) {
            case "select" -> new Steps.Select(where, nonEmpty(strings(arg, where), where), false);
            case "drop" -> new Steps.Select(where, nonEmpty(strings(arg, where), where), true);
            case "rename" -> new Steps.Rename(where, stringMap(arg, where));
            case "filter" -> {
                if (!arg.isTextual() || arg.asText().isBlank()) {
                    throw new PipelineException(where + ": an expression such as \"amount > 100\"");
                }
                try {
                    Expression.checkSyntax(arg.asText());
                } catch (PipelineException e) {
                    throw new PipelineException(where + ": " + e.getMessage());
                }
                yield new Steps.Filter(where, arg.asText());
            }
            case "trim" -> new Steps.Trim(where, strings(arg, where));
            case "normalize" -> {
                Map<String, String> modes = stringMap(arg, where);
                modes.forEach((c, m) -> {
                    if (!Steps.Normalize.MODES.contains(m)) {
                        throw new PipelineException(where + "." + c + ": '" + m + "' is not lower, upper or collapse");
                    }
                });
                yield new Steps.Normalize(where, modes);
            }
            case "dedupe" -> new Steps.Dedupe(where, nonEmpty(strings(arg, where), where));
            case "validate" -> new Steps.Validate(where, rules(arg, where));
            default -> throw new PipelineException(where + ": unknown step kind '" + kind + "'");
        };
    }

    /// `["a", {"column": "b", "order": "desc"}]`: columns, ascending unless said otherwise.
    private static List<SortKey> sortKeys(JsonNode arg, String where) {
        if (arg == null || !arg.isArray() || arg.isEmpty()) {
            throw new PipelineException(where + ": a list of columns, or of {\"column\": …, \"order\": \"asc\" | \"desc\"}");
        }
        List<SortKey> keys = new ArrayList<>();
        for (JsonNode k : arg) {
            if (k.isTextual()) {
                keys.add(new SortKey(k.asText(), false));
            } else if (k.isObject() && k.path("column").isTextual()) {
                String order = k.path("order").asText("asc");
                if (!order.equals("asc") && !order.equals("desc")) {
                    throw new PipelineException(where + ".order: '" + order + "' is not asc or desc");
                }
                keys.add(new SortKey(k.get("column").asText(), order.equals("desc")));
            } else {
                throw new PipelineException(where + ": each key is a column name or {\"column\": …, \"order\": …}");
            }
        }
        return keys;
    }

    private static List<String> strings(JsonNode arg, String where) {
        if (arg == null || !arg.isArray()) {
            throw new PipelineException(where + ": a list of column names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : arg) {
            if (!n.isTextual()) {
                throw new PipelineException(where + ": column names must be strings, not " + n);
            }
            out.add(n.asText());
        }
        return out;
    }

    private static List<String> nonEmpty(List<String> columns, String where) {
        if (columns.isEmpty()) {
            throw new PipelineException(where + ": name at least one column");
        }
        return columns;
    }

    private static Map<String, String> stringMap(JsonNode arg, String where) {
        if (arg == null || !arg.isObject() || arg.isEmpty()) {
            throw new PipelineException(where + ": an object of column names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = arg.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new PipelineException(where + "." + e.getKey() + ": must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Map<String, Steps.Rule> rules(JsonNode arg, String where) {
        if (arg == null || !arg.isObject() || arg.isEmpty()) {
            throw new PipelineException(where + ": an object of column names to rules");
        }
        Map<String, Steps.Rule> out = new LinkedHashMap<>();
        for (var it = arg.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String at = where + "." + e.getKey();
            JsonNode r = e.getValue();
            if (!r.isObject()) {
                throw new PipelineException(at + ": a rule object such as {\"type\": \"integer\"}");
            }
            String type = r.path("type").asText("string");
            if (!Steps.Rule.TYPES.contains(type)) {
                throw new PipelineException(at + ".type: '" + type + "' is not one of " + Steps.Rule.TYPES);
            }
            List<String> values = r.has("values") ? strings(r.get("values"), at + ".values") : List.of();
            if (type.equals("enum") && values.isEmpty()) {
                throw new PipelineException(at + ".values: an enum needs its values");
            }
            Pattern pattern = null;
            if (r.has("pattern")) {
                try {
                    pattern = Pattern.compile(r.get("pattern").asText());
                } catch (PatternSyntaxException x) {
                    throw new PipelineException(at + ".pattern: " + x.getDescription());
                }
            }
            out.put(e.getKey(), new Steps.Rule(type, r.path("required").asBoolean(false), pattern,
                    number(r, "min", at), number(r, "max", at), values));
        }
        return out;
    }

    private static BigDecimal number(JsonNode r, String field, String at) {
        JsonNode n = r.get(field);
        if (n == null) {
            return null;
        }
        if (!n.isNumber()) {
            throw new PipelineException(at + "." + field + ": must be a number");
        }
        return n.decimalValue();
    }

    /// The pipeline bound to an input header.
    public Run bind(List<String> header) {
        List<Step.Bound> bound = new ArrayList<>();
        List<String> h = header;
        for (Step s : steps) {
            Step.Bound b = s.bind(h);
            bound.add(b);
            h = b.header();
        }
        for (SortKey k : sort) {
            Steps.index(h, k.column(), "sort");
        }
        Aggregate.Bound groups = aggregate == null ? null : aggregate.bind(h);
        return new Run(bound, groups == null ? h : groups.header(), sort, groups);
    }

    /// A pipeline applied to rows of one header.
    public static final class Run {
        private final List<Step.Bound> steps;
        private final List<String> header;
        private final List<SortKey> sort;
        private final Aggregate.Bound aggregation;

        private Run(List<Step.Bound> steps, List<String> header, List<SortKey> sort, Aggregate.Bound aggregation) {
            this.steps = steps;
            this.header = header;
            this.sort = sort;
            this.aggregation = aggregation;
        }

        /// The `aggregate` step, or null: then [#apply] keeps rows cut to what it reads, which
        /// go through its [Aggregate.Bound#order] and [Aggregate.Bound#groups] to become the output.
        public Aggregate.Bound aggregation() {
            return aggregation;
        }

        /// The order to write rows in; empty to keep the input order.
        public List<SortKey> sort() {
            return sort;
        }

        /// The header of the rows it produces (with `aggregate`, of its groups).
        public List<String> header() {
            return header;
        }

        /// Runs the steps on a row (which they may change in place).
        public Outcome apply(String[] row) {
            String[] current = row;
            for (Step.Bound s : steps) {
                Outcome o = s.apply(current);
                if (!(o instanceof Outcome.Keep k)) {
                    return o;
                }
                current = k.row();
            }
            return aggregation == null ? new Outcome.Keep(current) : aggregation.apply(current);
        }
    }
}
