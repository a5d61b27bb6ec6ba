package io.csvx.job;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/// One run of a pipeline over a file, or one comparison of two versions of a dataset, and how far
/// it got.
///
/// @param pipelineId the pipeline it runs; null for a dataset's diff
/// @param datasetId  the dataset whose versions it compares; null for a pipeline's job
/// @param fileId     the input (a diff's newer version); null until a job that starts from
///                   `inputUrl` has fetched it
/// @param inputUrl   where to fetch the input from (an incoming webhook named it), or null
/// @param definition the pipeline's definition when the job was created, so editing the pipeline
///                   does not change a job already queued (a diff's [DiffSpec])
/// @param runs       how many times a node has started it; more than one means it was resumed
/// @param cancelRequested cancellation was asked for while it ran; the running node stops it
/// @param result     as JSON, a finished diff's summary, or the single group a pipeline ending in
///                   `aggregate` wrote (`{"aggregate": {…}}`); else null
public record Job(String id, String appId, String pipelineId, String datasetId, String fileId, String inputUrl, String definition,
                  Status status,
                  long rowsRead, long rowsWritten, long rowsSkipped, long rowsRejected, List<String> outputFileIds,
                  String rejectsFileId, String error, Long errorLine, int runs, boolean cancelRequested,
                  Instant createdAt, Instant startedAt, Instant finishedAt, Instant updatedAt, String result) {

    public Job {
        outputFileIds = List.copyOf(outputFileIds);
    }

    /// A new job, waiting to be claimed.
    public static Job queued(String id, String appId, String pipelineId, String fileId, String inputUrl, String definition,
                             Instant now) {
        return new Job(id, appId, pipelineId, null, fileId, inputUrl, definition, Status.QUEUED, 0, 0, 0, 0, List.of(), null,
                null, null, 0, false, now, null, null, now, null);
    }

    /// A new diff of two versions of a dataset, waiting to be claimed; its input is the newer one.
    static Job diff(String id, String appId, DiffSpec spec, Instant now) {
        return new Job(id, appId, null, spec.datasetId(), spec.toFileId(), null, spec.toJson(), Status.QUEUED, 0, 0, 0, 0,
                List.of(), null, null, null, 0, false, now, null, null, now, null);
    }

    /// Whether it compares two versions of a dataset rather than running a pipeline.
    public boolean isDiff() {
        return datasetId != null;
    }

    public enum Status {
        QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

        /// The name in the API: `queued`, `running`, …
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status ofWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }

        public boolean finished() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }
    }
}
