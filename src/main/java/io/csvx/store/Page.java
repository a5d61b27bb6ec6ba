package io.csvx.store;

import java.util.List;
import java.util.function.Function;

/// One page of a list, in id order. `iterator` continues after the last item; `done` when no more.
public record Page<T>(List<T> data, String iterator, boolean done) {

    /// Builds a page from up to `limit + 1` fetched rows: the extra row only tells that more exist.
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> idOf) {
        boolean more = rows.size() > limit;
        List<T> data = more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows);
        String iterator = data.isEmpty() ? null : idOf.apply(data.getLast());
        return new Page<>(data, iterator, !more);
    }
}
