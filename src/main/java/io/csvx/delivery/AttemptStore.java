package io.csvx.delivery;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Recorded delivery attempts, newest first.
public interface AttemptStore {
    /// Filters for attempt lists; null fields do not filter. `channel`, `tag` and `eventTypes` are
    /// the attempt's message's; `before` and `after` (exclusive) the attempt's own time.
    record Filter(String endpointId, Integer status, Integer statusCodeClass, String channel, String tag,
                  List<String> eventTypes, Instant before, Instant after) {
        public static final Filter NONE = new Filter(null, null, null, null, null, null, null, null);
    }

    Page<Attempt> byMessage(String msgId, PageRequest page, Filter filter);

    Page<Attempt> byEndpoint(String endpointId, PageRequest page, Filter filter);

    Optional<Attempt> find(String msgId, String attemptId);

    /// How many attempts at the endpoint pass the filter.
    long countAtEndpoint(String endpointId, Filter filter);

    /// How many attempts of one status were made for messages of one event type.
    record Count(String eventType, int status, long count) {
    }

    /// Attempts of the application made in [since, until), counted by event type and status;
    /// `eventTypes` (null: all) narrows them.
    List<Count> count(String appId, Instant since, Instant until, List<String> eventTypes);

    /// Forgets the response body of one attempt for good; false when there is no such attempt.
    boolean expungeResponse(String msgId, String attemptId);

    /// Removes up to `limit` attempts made before `before` (retention): one transaction, kept
    /// short; returns how many.
    int purge(Instant before, int limit);
}
