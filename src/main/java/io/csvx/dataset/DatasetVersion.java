package io.csvx.dataset;

import java.time.Instant;

/// The `version`th file of a dataset (1, 2, … in the order they arrived) and its rows.
public record DatasetVersion(String datasetId, int version, String fileId, long rows, Instant createdAt) {
}
