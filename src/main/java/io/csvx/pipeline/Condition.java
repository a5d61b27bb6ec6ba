package io.csvx.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/// A condition in the filter language over named values rather than a file's columns: an
/// endpoint's payload filter (`data.rows > 1000 and data.name startsWith "orders-"`). Compiled
/// once; [#test] asks for the value of each field it names.
public final class Condition {
    private final String source;
    private final List<String> fields;
    private final Predicate<String[]> predicate;

    private Condition(String source, List<String> fields, Predicate<String[]> predicate) {
        this.source = source;
        this.fields = List.copyOf(fields);
        this.predicate = predicate;
    }

    /// Compiles `source`; [PipelineException] says what is wrong and at which position.
    public static Condition compile(String source) {
        List<String> fields = new ArrayList<>();
        Predicate<String[]> p = Expression.compileOpen(source, fields);
        return new Condition(source, fields, p);
    }

    /// The fields it names, in the order it first names them.
    public List<String> fields() {
        return fields;
    }

    public String source() {
        return source;
    }

    /// Whether the values of its fields, in the order of [#fields], meet it ("" for an absent one).
    public boolean test(String[] values) {
        return predicate.test(values);
    }

    /// Whether the values `value` gives for its fields meet it ("" for a field that is absent).
    public boolean test(Function<String, String> value) {
        String[] row = new String[fields.size()];
        for (int i = 0; i < row.length; i++) {
            String v = value.apply(fields.get(i));
            row[i] = v == null ? "" : v;
        }
        return predicate.test(row);
    }
}
