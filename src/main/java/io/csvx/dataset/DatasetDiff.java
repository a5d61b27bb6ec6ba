package io.csvx.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Locale;

/// One comparison of two versions of a dataset, as its history keeps it.
///
/// @param jobId       the diff job that made it
/// @param summary     the counts, changes by column, columns added and removed and first changes
///                    (JSON), when it completed
/// @param diffFileId  the file of every change, when it completed
/// @param significant the dataset's `notify` rule fired and `dataset.changed` was published
/// @param rule        the rule that fired, or null
/// @param error       why it failed, or null
public record DatasetDiff(String jobId, String datasetId, int fromVersion, int toVersion, Status status, String summary,
                          String diffFileId, boolean significant, String rule, String error, Instant createdAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /// What changed in a sentence (`2 added, 1 removed, …`), or why it failed.
    public String sentence() {
        if (summary == null) {
            return error;
        }
        try {
            return JSON.readTree(summary).path("sentence").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("diff " + jobId + " holds a summary that is not JSON", e);
        }
    }

    public enum Status {
        COMPLETED, FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status ofWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }
}
