package io.csvx.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// The `aggregate` step: `{"groupBy": ["region"], "metrics": {"orders": "count()", "revenue":
/// "sum(amount)"}}`, last in a pipeline. Its output is one row per group, in group order, with
/// the group's columns then each metric. Rows are projected to what the metrics read and sorted
/// by group with [ExternalSorter] (bounded memory however many groups), then folded group by
/// group. Numbers parse as the filter language parses them; a value `sum` or `avg` cannot read
/// rejects its row, with the reason. Empty values are left out of every metric but `count()`.
/// Without `groupBy` there is one group, even for no rows at all.
public final class Aggregate {
    /// The functions a metric may use.
    enum Function {
        COUNT, SUM, AVG, MIN, MAX, COUNT_DISTINCT
    }

    record Metric(String name, Function function, String column) {
    }

    private static final Pattern CALL = Pattern.compile("\\s*([a-z_]+)\\s*\\(\\s*(.*?)\\s*\\)\\s*");

    private final String where;
    private final List<String> groupBy;
    private final List<Metric> metrics;

    private Aggregate(String where, List<String> groupBy, List<Metric> metrics) {
        this.where = where;
        this.groupBy = List.copyOf(groupBy);
        this.metrics = List.copyOf(metrics);
    }

    /// The columns of its output: the group's, then the metrics'.
    List<String> columns() {
        List<String> out = new ArrayList<>(groupBy);
        metrics.forEach(x -> out.add(x.name()));
        return out;
    }

    static Aggregate parse(JsonNode arg, String where) {
        if (arg == null || !arg.isObject()) {
            throw new PipelineException(where + ": {\"groupBy\": [columns], \"metrics\": {\"name\": \"sum(column)\", …}}");
        }
        for (var it = arg.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("groupBy") && !f.equals("metrics")) {
                throw new PipelineException(where + "." + f + ": unknown; aggregate has groupBy and metrics");
            }
        }
        List<String> groupBy = new ArrayList<>();
        JsonNode g = arg.get("groupBy");
        if (g != null && !g.isNull()) {
            if (!g.isArray()) {
                throw new PipelineException(where + ".groupBy: a list of columns");
            }
            for (JsonNode c : g) {
                if (!c.isTextual() || c.asText().isEmpty() || groupBy.contains(c.asText())) {
                    throw new PipelineException(where + ".groupBy: a list of distinct column names");
                }
                groupBy.add(c.asText());
            }
        }
        JsonNode m = arg.get("metrics");
        if (m == null || !m.isObject() || m.isEmpty()) {
            throw new PipelineException(where + ".metrics: an object of name to function, e.g. {\"orders\": \"count()\","
                    + " \"revenue\": \"sum(amount)\"}; functions: count(), sum, avg, min, max, count_distinct");
        }
        List<Metric> metrics = new ArrayList<>();
        for (var it = m.fields(); it.hasNext(); ) {
            var e = it.next();
            String at = where + ".metrics." + e.getKey();
            if (groupBy.contains(e.getKey())) {
                throw new PipelineException(at + ": a metric cannot share its name with a groupBy column");
            }
            Matcher call = e.getValue().isTextual() ? CALL.matcher(e.getValue().asText()) : null;
            if (call == null || !call.matches()) {
                throw new PipelineException(at + ": a function such as \"sum(amount)\" or \"count()\"");
            }
            Function f = switch (call.group(1)) {
                case "count" -> Function.COUNT;
                case "sum" -> Function.SUM;
                case "avg" -> Function.AVG;
                case "min" -> Function.MIN;
                case "max" -> Function.MAX;
                case "count_distinct" -> Function.COUNT_DISTINCT;
                default -> throw new PipelineException(at + ": unknown function '" + call.group(1)
                        + "'; count(), sum, avg, min, max, count_distinct");
            };
            String column = call.group(2);
            if (column.startsWith("`") && column.endsWith("`") && column.length() > 1) {
                column = column.substring(1, column.length() - 1);
            }
            if (f == Function.COUNT && !column.isEmpty()) {
                throw new PipelineException(at + ": count() counts rows and takes no column");
            }
            if (f != Function.COUNT && column.isEmpty()) {
                throw new PipelineException(at + ": " + call.group(1) + " needs a column, e.g. " + call.group(1) + "(amount)");
            }
            metrics.add(new Metric(e.getKey(), f, f == Function.COUNT ? null : column));
        }
        return new Aggregate(where, groupBy, metrics);
    }

    /// The step bound to the header it receives.
    Bound bind(List<String> header) {
        int[] groups = new int[groupBy.size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = Steps.index(header, groupBy.get(i), where);
        }
        int[] inputs = new int[metrics.size()];
        for (int i = 0; i < inputs.length; i++) {
            Metric metric = metrics.get(i);
            inputs[i] = metric.column() == null ? -1 : Steps.index(header, metric.column(), where);
        }
        return new Bound(groups, inputs, metrics, columns());
    }

    /// Bound to a header: projects and checks each row, orders projected rows by group, and
    /// folds them into groups.
    public static final class Bound {
        private final int[] groups;
        private final int[] inputs;
        private final List<Metric> metrics;
        private final List<String> header;

        private Bound(int[] groups, int[] inputs, List<Metric> metrics, List<String> header) {
            this.groups = groups;
            this.inputs = inputs;
            this.metrics = metrics;
            this.header = List.copyOf(header);
        }

        /// The output header: the group's columns, then the metrics.
        List<String> header() {
            return header;
        }

        /// The row cut to its group's values and the metrics' inputs, or rejected when `sum` or
        /// `avg` cannot read a value as a number.
        Outcome apply(String[] row) {
            String[] p = new String[groups.length + inputs.length];
            for (int i = 0; i < groups.length; i++) {
                p[i] = row[groups[i]];
            }
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] < 0) {
                    p[groups.length + i] = ""; // count() reads no column
                    continue;
                }
                String v = row[inputs[i]];
                Function f = metrics.get(i).function();
                if ((f == Function.SUM || f == Function.AVG) && !v.isBlank() && Expression.number(v) == null) {
                    return new Outcome.Reject(metrics.get(i).column() + ": '" + v + "' is not a number ("
                            + metrics.get(i).name() + " is " + f.name().toLowerCase(Locale.ROOT) + " of it)");
                }
                p[groups.length + i] = v;
            }
            return new Outcome.Keep(p);
        }

        /// The order of projected rows: by group, each column as `sort` orders it.
        public Comparator<String[]> order() {
            int k = groups.length;
            return (a, b) -> {
                for (int i = 0; i < k; i++) {
                    int c = ExternalSorter.compare(a[i], b[i]);
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            };
        }

        /// A fold over projected rows in group order.
        public Groups groups() {
            return new Groups();
        }

        /// Folds projected rows, arriving in group order, into one output row per group.
        public final class Groups {
            private String[] key;
            private long count;
            private final BigDecimal[] sums = new BigDecimal[inputs.length];
            private final long[] counts = new long[inputs.length];
            private final String[] mins = new String[inputs.length];
            private final String[] maxes = new String[inputs.length];
            private final List<Set<String>> distinct = new ArrayList<>();
            private boolean any;

            private Groups() {
                for (int i = 0; i < inputs.length; i++) {
                    distinct.add(metrics.get(i).function() == Function.COUNT_DISTINCT ? new HashSet<>() : null);
                }
                reset();
            }

            /// Adds a row; answers the previous group's output row when this row starts a new
            /// group, else null.
            public String[] add(String[] row) {
                String[] done = null;
                if (any && !sameGroup(row)) {
                    done = result();
                    reset();
                    any = false;
                }
                if (!any) {
                    key = Arrays.copyOf(row, groups.length);
                    any = true;
                }
                count++;
                for (int i = 0; i < inputs.length; i++) {
                    String v = row[groups.length + i];
                    if (v == null || v.isBlank()) {
                        continue;
                    }
                    counts[i]++;
                    switch (metrics.get(i).function()) {
                        case SUM, AVG -> sums[i] = sums[i].add(Expression.number(v));
                        case MIN -> mins[i] = mins[i] == null || ExternalSorter.compare(v, mins[i]) < 0 ? v : mins[i];
                        case MAX -> maxes[i] = maxes[i] == null || ExternalSorter.compare(v, maxes[i]) > 0 ? v : maxes[i];
                        case COUNT_DISTINCT -> distinct.get(i).add(v);
                        case COUNT -> { }
                    }
                }
                return done;
            }

            /// The last group's row, or null when no row came (one row of zeros without groupBy).
            public String[] finish() {
                if (any) {
                    return result();
                }
                if (groups.length == 0) {
                    key = new String[0];
                    return result();
                }
                return null;
            }

            private boolean sameGroup(String[] row) {
                for (int i = 0; i < groups.length; i++) {
                    if (ExternalSorter.compare(row[i], key[i]) != 0) {
                        return false;
                    }
                }
                return true;
            }

            private String[] result() {
                String[] out = new String[groups.length + inputs.length];
                System.arraycopy(key, 0, out, 0, groups.length);
                for (int i = 0; i < inputs.length; i++) {
                    out[groups.length + i] = switch (metrics.get(i).function()) {
                        case COUNT -> Long.toString(count);
                        case SUM -> sums[i].toPlainString();
                        case AVG -> counts[i] == 0 ? ""
                                : sums[i].divide(BigDecimal.valueOf(counts[i]), MathContext.DECIMAL64).stripTrailingZeros()
                                .toPlainString();
                        case MIN -> mins[i] == null ? "" : mins[i];
                        case MAX -> maxes[i] == null ? "" : maxes[i];
                        case COUNT_DISTINCT -> Integer.toString(distinct.get(i).size());
                    };
                }
                return out;
            }

            private void reset() {
                count = 0;
                for (int i = 0; i < inputs.length; i++) {
                    sums[i] = BigDecimal.ZERO;
                    counts[i] = 0;
                    mins[i] = null;
                    maxes[i] = null;
                    if (distinct.get(i) != null) {
                        distinct.get(i).clear();
                    }
                }
            }
        }
    }
}
