package io.csvx.endpoint;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Endpoints of an application, their secrets and their health.
public interface EndpointStore {
    /// Counts of an endpoint's deliveries by status.
    record Stats(long success, long pending, long fail, long sending) {
    }

    /// What waits for an endpoint now: deliveries due and not being sent, and since when the
    /// oldest of them has been due (null when none).
    record Backlog(long due, Instant oldestDue) {
    }

    /// The endpoint's backlog at `now`.
    Backlog backlog(String endpointId, Instant now);

    /// The `limit` endpoints with the most deliveries due at `now`, most first (the metrics' top list).
    java.util.Map<String, Long> mostDue(Instant now, int limit);

    Endpoint create(Endpoint endpoint, String secret);

    Optional<Endpoint> find(String appId, String idOrUid);

    Optional<Endpoint> byId(String id);

    Page<Endpoint> list(String appId, PageRequest page);

    /// Every endpoint of the application, for fan-out.
    List<Endpoint> all(String appId);

    /// Saves the endpoint; one whose ordering is no longer `block` lets its blocked ordering-key
    /// lines move on past their failed messages.
    Endpoint update(Endpoint endpoint);

    /// Endpoints of every application that are failing, the longest failing first.
    List<Endpoint> failing(int limit);

    boolean delete(String appId, String id);

    /// Secrets that sign right now: the current one first, then rotated-out ones still in grace.
    List<String> secrets(String endpointId, Instant now);

    /// Makes `newSecret` current; the old current secret keeps signing for `grace`.
    void rotateSecret(String endpointId, String newSecret, Instant now, Duration grace);

    /// Deliveries by state, of messages created in [since, until) (null: unbounded).
    Stats stats(String endpointId, Instant now, Instant since, Instant until);

    default Stats stats(String endpointId, Instant now) {
        return stats(endpointId, now, null, null);
    }
}
