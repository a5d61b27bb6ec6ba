package io.csvx.source;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.Optional;

/// Sources and the requests they received.
public interface SourceStore {
    /// Conflict when the uid is taken in the application.
    Source create(Source s);

    Optional<Source> find(String appId, String idOrUid);

    /// By id alone: how the ingest path finds a source; not one of an application being deleted.
    Optional<Source> find(String id);

    Page<Source> list(String appId, PageRequest page);

    Source update(Source s);

    boolean delete(String appId, String id);

    void record(InboundRequest r);

    /// Ends a request's handling: its status, why, what it triggered, and the file its body became.
    void finish(String requestId, InboundRequest.Status status, String detail, String outcome, String bodyFile);

    Optional<InboundRequest> request(String sourceId, String requestId);

    /// A source's requests, newest first by default.
    Page<InboundRequest> requests(String sourceId, PageRequest page);

    /// Removes up to `limit` rejected requests beyond the newest `keep` of each source, the
    /// oldest first; returns how many went (0 once every source is within `keep`).
    int pruneRejected(int keep, int limit);

    /// Removes up to `limit` deduplication claims made before `before`, then up to `limit`
    /// requests received before it; returns how many rows went in all.
    int purge(Instant before, int limit);

    /// Claims `dedupKey` of the source for `requestId`, atomically: of requests racing for one key,
    /// one wins. True when no request holds the key, or the one that does came before
    /// `windowStart`, or came before `staleStart` and was never processed (its node died in its
    /// action); false when this request is a duplicate.
    boolean claim(String sourceId, String dedupKey, String requestId, Instant now, Instant windowStart,
                  Instant staleStart);

    /// Gives back a claim whose request failed, so that a repeat is processed.
    void release(String sourceId, String dedupKey, String requestId);
}
