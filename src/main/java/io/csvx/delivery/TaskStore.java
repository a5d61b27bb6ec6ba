package io.csvx.delivery;

import io.csvx.message.Message;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/// Background tasks and the batches they work through.
public interface TaskStore {
    /// Keeps a new running task, leased to `owner` until `leaseUntil`.
    void insert(BackgroundTask task, String owner, Instant leaseUntil);

    Optional<BackgroundTask> find(String id);

    /// Newest first unless the page asks otherwise; null filters do not filter.
    Page<BackgroundTask> list(PageRequest page, BackgroundTask.Status status, BackgroundTask.Kind kind);

    /// Running tasks whose lease ran out (their node stopped), now leased to `owner`.
    List<BackgroundTask> claimStale(String owner, Instant now, Instant leaseUntil, int limit);

    /// Works through the next at most `limit` messages after the task's cursor and, in the same
    /// transaction, moves the cursor, adds to the counts and extends the lease. `accepts` decides,
    /// for a replay of missing messages, which messages the endpoint takes.
    /// [io.csvx.store.StoreException] when the lease is no longer `owner`'s: nothing is changed then.
    BackgroundTask.Step step(BackgroundTask task, String owner, int limit, Predicate<Message> accepts, Instant now,
                             Instant leaseUntil);

    /// Ends the task as finished or failed (with `error`) and releases its lease.
    void finish(String id, BackgroundTask.Status status, String error, Instant now);
}
