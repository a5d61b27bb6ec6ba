package io.csvx.delivery;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.Optional;

/// Recorded delivery attempts, newest first.
public interface AttemptStore {
    /// Filters for attempt lists; null fields do not filter.
    record Filter(String endpointId, Integer status, Integer statusCodeClass) {
    }

    Page<Attempt> byMessage(String msgId, PageRequest page, Filter filter);

    Page<Attempt> byEndpoint(String endpointId, PageRequest page, Filter filter);

    Optional<Attempt> find(String msgId, String attemptId);

    /// Removes attempts made before `before` (retention); returns how many.
    int purge(Instant before);
}
