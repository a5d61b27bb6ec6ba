package io.csvx.job;

import io.csvx.file.CsvFile;
import java.util.List;

/// What the jobs tell the datasets, which implement it: a CSV file arrived (an upload, a fetched
/// file, a job's output) and may be a dataset's next version; a diff job ended. Both may be told
/// twice (a node that crashed between a job's end and its announcement announces it again), so
/// both must be idempotent.
public interface NewVersions {
    /// `files` arrived, in this order: uploaded or fetched (`pipelineId` null), or written by a
    /// job of `pipelineId`; `datasetId` is the dataset an upload named, or null. Answers the
    /// diffs to queue: one per version any of them became, against the version before.
    List<DiffSpec> arrived(List<CsvFile> files, String datasetId, String pipelineId);

    /// A diff job ended (completed with its summary in `Job.result`, failed or cancelled).
    void diffEnded(Job job, DiffSpec spec);

    /// No datasets: nothing becomes a version.
    NewVersions NONE = new NewVersions() {
        @Override
        public List<DiffSpec> arrived(List<CsvFile> files, String datasetId, String pipelineId) {
            return List.of();
        }

        @Override
        public void diffEnded(Job job, DiffSpec spec) {
        }
    };
}
