package io.csvx.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// The life of an idempotency key under this node's requests: reserved, held while its request
/// runs, then answered (what a repeat gets) or freed. A reservation is taken over by the next
/// request with its key once untouched for [#LEASE] (its node stopped mid-request), so a
/// request that runs long has its reservation touched every [#TOUCH_EVERY].
final class Reservations {
    /// How long a reservation may go untouched before it counts as left by a stopped node.
    static final Duration LEASE = Duration.ofSeconds(60);
    /// How often [#touch] runs; a request held this long or longer is touched.
    static final Duration TOUCH_EVERY = Duration.ofSeconds(15);

    private final IdempotencyStore store;
    private final Clock clock;
    /// Each key held, with when its request began.
    private final Map<String, Instant> held = new ConcurrentHashMap<>();

    Reservations(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /// Reserves `scope` (taking over a reservation left untouched for [#LEASE]), or returns what
    /// the request that holds or held it stored.
    Optional<IdempotencyStore.Stored> reserve(String scope) {
        Instant now = clock.instant();
        return store.reserve(scope, now, now.minus(LEASE));
    }

    /// What the request holding `scope` has stored since [#reserve] found it running; when that
    /// request failed and freed the key, reserves it for the caller (empty then).
    Optional<IdempotencyStore.Stored> recheck(String scope) {
        Optional<IdempotencyStore.Stored> now = store.find(scope);
        return now.isPresent() ? now : reserve(scope);
    }

    /// This node's request now runs under `scope`, which it reserved.
    void running(String scope) {
        held.put(scope, clock.instant());
    }

    /// The request under `scope` has ended, answered or not: it is touched no more.
    void ended(String scope) {
        held.remove(scope);
    }

    /// The request under `scope` was answered `status` with `body`: every repeat gets that.
    void answered(String scope, int status, String body) {
        store.complete(scope, status, body);
    }

    /// The request under `scope` failed: the key is free for the next request, which runs.
    void failed(String scope) {
        store.forget(scope);
    }

    /// Touches the reservation of each request that has run for [#TOUCH_EVERY] or longer: the
    /// others were reserved recently enough to outlive the next call.
    void touch() {
        Instant now = clock.instant();
        held.forEach((scope, since) -> {
            if (!since.isAfter(now.minus(TOUCH_EVERY))) {
                store.touch(scope, now);
            }
        });
    }
}
