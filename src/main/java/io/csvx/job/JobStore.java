package io.csvx.job;

import io.csvx.file.CsvFile;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Jobs, and their queue: claimed with a lease that the running node renews, so that a job whose
/// node died becomes claimable again when the lease runs out.
public interface JobStore {
    /// What renewing a lease found.
    enum Renewal { HELD, CANCEL, LOST }

    /// How a run ended. `outputs` and `rejects` (null for none) are stored with the job's final
    /// state; `result` is a diff's summary or an aggregate's single group (JSON), else null.
    record Finish(Job.Status status, long rowsRead, long rowsWritten, long rowsSkipped, long rowsRejected,
                  List<CsvFile> outputs, CsvFile rejects, String error, Long errorLine, String result) {
        Finish(Job.Status status, long rowsRead, long rowsWritten, long rowsSkipped, long rowsRejected,
               List<CsvFile> outputs, CsvFile rejects, String error, Long errorLine) {
            this(status, rowsRead, rowsWritten, rowsSkipped, rowsRejected, outputs, rejects, error, errorLine, null);
        }
    }

    Job create(Job job);

    Optional<Job> find(String appId, String id);

    /// Jobs of an application (of every one when `appId` is null), newest first by default;
    /// `fileId` and `status` filter when not null.
    Page<Job> list(String appId, PageRequest page, String fileId, Job.Status status);

    /// Claims up to `limit` jobs that are queued or whose lease ran out, marking them running
    /// (and counting the run) under `owner` until `leaseUntil`.
    List<Job> claim(String owner, Instant now, Instant leaseUntil, int limit);

    /// Extends the lease of a running job and records its progress.
    Renewal renew(String id, String owner, Instant leaseUntil, long rowsRead, Instant now);

    /// Records the end of a run, with the files it wrote, if `owner` still holds the job; false
    /// (and nothing stored) otherwise.
    boolean finish(String id, String owner, Finish finish, Instant now);

    /// Records the file a job fetched from its `inputUrl`, if `owner` still holds the job.
    boolean fetched(String id, String owner, String fileId);

    /// Hands a running job back to the queue (a node stopping gracefully); the run is not counted.
    void release(String id, String owner);

    /// Cancels a queued job at once; asks the node running a running job to stop it. Empty when
    /// there is no such job.
    Optional<Job> cancel(String appId, String id, Instant now);

    /// Finished jobs whose final event is not yet published (see [#announced]).
    List<Job> unannounced(int limit);

    void announced(String id);
}
