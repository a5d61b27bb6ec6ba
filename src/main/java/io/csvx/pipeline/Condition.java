package io.csvx.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/// A condition in the filter language over named values rather than a file's columns: an
/// endpoint's payload filter (`data.rows > 1000 and data.name startsWith "orders-"`). Compiled
/// once; [#test] takes the value of each field it names, in the order of [#fields].
public final class Condition {
    private final List<String> fields;
    private final Predicate<String[]> predicate;

    private Condition(List<String> fields, Predicate<String[]> predicate) {
        this.fields = List.copyOf(fields);
        this.predicate = predicate;
    }

    /// Compiles `source`; [PipelineException] says what is wrong and at which position.
    public static Condition compile(String source) {
        List<String> fields = new ArrayList<>();
        Predicate<String[]> p = Expression.compileOpen(source, fields);
        return new Condition(fields, p);
    }

    /// The fields it names, in the order it first names them.
    public List<String> fields() {
        return fields;
    }

    /// Whether the values of its fields, in the order of [#fields], meet it ("" for an absent one).
    public boolean test(String[] values) {
        return predicate.test(values);
    }
}
