package io.csvx.store;

/// A page to fetch: at most `limit` items after the id `iterator` (null: from the start),
/// newest first when `descending`.
public record PageRequest(int limit, String iterator, boolean descending) {
}
