package io.csvx.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// The idempotency keys this node's requests hold reserved while they run. A reservation is
/// taken over by the next request with its key once untouched for [#LEASE] (its node stopped
/// mid-request), so a request that runs long has its reservation touched every [#TOUCH_EVERY].
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

    /// This node's request now runs under `scope`, which it reserved.
    void running(String scope) {
        held.put(scope, clock.instant());
    }

    /// The request under `scope` has ended; its caller then stores the answer or forgets the key.
    void ended(String scope) {
        held.remove(scope);
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
