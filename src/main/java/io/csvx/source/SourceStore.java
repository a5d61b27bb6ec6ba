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

    /// By id alone: how the ingest path finds a source.
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

    /// Removes requests received before `before`; returns how many.
    int purge(Instant before);

    /// Whether a request with this deduplication key was processed since `since`.
    boolean processedSince(String sourceId, String dedupKey, Instant since);
}
