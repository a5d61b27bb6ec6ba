package io.csvx.delivery;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/// Per-endpoint rate limits (`throttleRate`, requests per second): each request reserves the
/// endpoint's next free slot, one interval after the one before, and learns how long to wait
/// for it. Reservations never collide, whatever the threads.
final class Throttle {
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, AtomicLong> nextSlot = new ConcurrentHashMap<>();

    /// `nanoTime` is the clock slots are counted on (`System::nanoTime` in a node).
    Throttle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /// Reserves the endpoint's next slot at `ratePerSecond`; answers the nanoseconds to wait for it
    /// (0 when it is free now).
    long reserve(String endpointId, int ratePerSecond) {
        long interval = 1_000_000_000L / ratePerSecond;
        AtomicLong next = nextSlot.computeIfAbsent(endpointId, k -> new AtomicLong(Long.MIN_VALUE));
        long now = nanoTime.getAsLong();
        long slot = next.getAndUpdate(prev -> Math.max(prev, now) + interval);
        return Math.max(0, Math.max(slot, now) - now);
    }
}
