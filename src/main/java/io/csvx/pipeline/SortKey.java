package io.csvx.pipeline;

/// One key of a `sort` step: a column, ascending unless `descending`. Numbers come first, by
/// value, then other values as text (ISO dates sort correctly as text).
record SortKey(String column, boolean descending) {
}
