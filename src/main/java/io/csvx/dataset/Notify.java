package io.csvx.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.pipeline.Condition;
import io.csvx.pipeline.PipelineException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// When a new version's changes are significant: any of `minChangedRows` (rows added, removed or
/// changed), `changedRowsPercent` (of the previous version's rows), `columnsChanged` (a column
/// appeared or disappeared) and `when` (a condition in the filter language over [#FIELDS]).
/// Absent, the rule is [#DEFAULT]: any change at all.
public final class Notify {
    /// What a `when` condition may name.
    public static final List<String> FIELDS = List.of("added", "removed", "changed", "unchanged", "changedRows",
            "changedRowsPercent", "rowsBefore", "rowsAfter", "columnsAdded", "columnsRemoved");
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Notify DEFAULT = new Notify(1L, null, true, null, null);

    private final Long minChangedRows;
    private final BigDecimal changedRowsPercent;
    private final boolean columnsChanged;
    private final String when;
    private final Condition condition;

    private Notify(Long minChangedRows, BigDecimal changedRowsPercent, boolean columnsChanged, String when,
                   Condition condition) {
        this.minChangedRows = minChangedRows;
        this.changedRowsPercent = changedRowsPercent;
        this.columnsChanged = columnsChanged;
        this.when = when;
        this.condition = condition;
    }

    /// What a diff found, in the terms of the rules.
    public record Counts(long added, long removed, long changed, long unchanged, int columnsAdded, int columnsRemoved) {
        long changedRows() {
            return added + removed + changed;
        }

        long rowsBefore() {
            return removed + changed + unchanged;
        }

        long rowsAfter() {
            return added + changed + unchanged;
        }

        /// Rows added, removed or changed per hundred rows of the previous version (100 when it
        /// had none and rows came), to two decimals.
        BigDecimal changedRowsPercent() {
            if (rowsBefore() == 0) {
                return changedRows() == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(100);
            }
            return BigDecimal.valueOf(changedRows() * 100).divide(BigDecimal.valueOf(rowsBefore()), 2,
                    RoundingMode.HALF_UP).stripTrailingZeros();
        }
    }

    /// The rule in `node` (an object, or a `when` condition as text; null: [#DEFAULT]).
    /// [IllegalArgumentException] says what is wrong, naming the field.
    public static Notify parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        if (node.isTextual()) {
            return new Notify(null, null, false, node.asText(), condition(node.asText()));
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new IllegalArgumentException("an object with minChangedRows, changedRowsPercent, columnsChanged or when,"
                    + " e.g. {\"changedRowsPercent\": 5}, or a condition such as \"added > 100 or removed > 0\"");
        }
        Long min = null;
        BigDecimal percent = null;
        boolean columns = false;
        String when = null;
        for (var it = node.fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "minChangedRows" -> {
                    if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 1) {
                        throw new IllegalArgumentException("minChangedRows: a whole number of rows, 1 or more");
                    }
                    min = v.asLong();
                }
                case "changedRowsPercent" -> {
                    if (!v.isNumber() || v.decimalValue().signum() <= 0 || v.decimalValue().compareTo(BigDecimal.valueOf(100)) > 0) {
                        throw new IllegalArgumentException("changedRowsPercent: a number above 0 and at most 100");
                    }
                    percent = v.decimalValue().stripTrailingZeros();
                }
                case "columnsChanged" -> {
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException("columnsChanged: true or false");
                    }
                    columns = v.asBoolean();
                }
                case "when" -> {
                    if (!v.isTextual()) {
                        throw new IllegalArgumentException("when: a condition such as \"added > 100 or removed > 0\"");
                    }
                    when = v.asText();
                }
                default -> throw new IllegalArgumentException("unknown field '" + f.getKey()
                        + "'; a rule has minChangedRows, changedRowsPercent, columnsChanged and when");
            }
        }
        if (min == null && percent == null && !columns && when == null) {
            throw new IllegalArgumentException("the rule can never fire: give minChangedRows, changedRowsPercent,"
                    + " columnsChanged: true or when");
        }
        return new Notify(min, percent, columns, when, when == null ? null : condition(when));
    }

    private static Condition condition(String source) {
        Condition c;
        try {
            c = Condition.compile(source);
        } catch (PipelineException e) {
            throw new IllegalArgumentException("when: " + e.getMessage(), e);
        }
        for (String f : c.fields()) {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("when: '" + f + "' is not a figure of a diff; name "
                        + String.join(", ", FIELDS));
            }
        }
        return c;
    }

    /// The rule that fires for `counts`, as text (`changedRowsPercent >= 5`), or empty.
    public Optional<String> fired(Counts counts) {
        if (minChangedRows != null && counts.changedRows() >= minChangedRows) {
            return Optional.of("changedRows >= " + minChangedRows);
        }
        if (changedRowsPercent != null && counts.changedRowsPercent().compareTo(changedRowsPercent) >= 0) {
            return Optional.of("changedRowsPercent >= " + changedRowsPercent.toPlainString());
        }
        if (columnsChanged && counts.columnsAdded() + counts.columnsRemoved() > 0) {
            return Optional.of("columnsChanged");
        }
        if (condition != null) {
            String[] values = new String[condition.fields().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (condition.fields().get(i)) {
                    case "added" -> Long.toString(counts.added());
                    case "removed" -> Long.toString(counts.removed());
                    case "changed" -> Long.toString(counts.changed());
                    case "unchanged" -> Long.toString(counts.unchanged());
                    case "changedRows" -> Long.toString(counts.changedRows());
                    case "changedRowsPercent" -> counts.changedRowsPercent().toPlainString();
                    case "rowsBefore" -> Long.toString(counts.rowsBefore());
                    case "rowsAfter" -> Long.toString(counts.rowsAfter());
                    case "columnsAdded" -> Integer.toString(counts.columnsAdded());
                    case "columnsRemoved" -> Integer.toString(counts.columnsRemoved());
                    default -> "";
                };
            }
            if (condition.test(values)) {
                return Optional.of(when);
            }
        }
        return Optional.empty();
    }

    /// The rule as the API shows it and the store keeps it.
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        if (minChangedRows != null) {
            o.put("minChangedRows", minChangedRows);
        }
        if (changedRowsPercent != null) {
            o.put("changedRowsPercent", changedRowsPercent);
        }
        if (columnsChanged) {
            o.put("columnsChanged", true);
        }
        if (when != null) {
            o.put("when", when);
        }
        return o;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        toJson().fields().forEachRemaining(f -> parts.add(f.getKey() + ": " + f.getValue()));
        return String.join(", ", parts);
    }
}
