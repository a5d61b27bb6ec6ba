package io.csvx.http;

import java.time.Instant;
import java.util.Optional;

/// Responses remembered per idempotency key.
public interface IdempotencyStore {
    /// A remembered response; `status` 0 while the first request is still being handled.
    record Stored(int status, String body) {
    }

    /// Reserves the key for this request, or returns what the earlier request stored. A
    /// reservation with no answer last touched before `staleBefore` was left by a request that
    /// never finished (its node stopped mid-request): this request takes it over.
    Optional<Stored> reserve(String scopeKey, Instant now, Instant staleBefore);

    /// Marks the reservation of a request still being handled as alive at `now`.
    void touch(String scopeKey, Instant now);

    void complete(String scopeKey, int status, String body);

    /// What a request with this key stored, if one did (on a read connection: nothing waits for
    /// the writer).
    Optional<Stored> find(String scopeKey);

    void forget(String scopeKey);

    /// Removes up to `limit` keys stored before `before`; returns how many.
    int purge(Instant before, int limit);
}
