package io.csvx.delivery;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/// One lane per endpoint: at most `width` deliveries of an endpoint run at once; the rest wait
/// in order without holding a thread. Whoever finishes a delivery takes the next one of its lane.
final class Lanes<T> {
    private static final class Lane<T> {
        final ArrayDeque<T> waiting = new ArrayDeque<>();
        int active;
    }

    private final int width;
    private final ConcurrentHashMap<String, Lane<T>> lanes = new ConcurrentHashMap<>();

    Lanes(int width) {
        this.width = width;
    }

    /// True when `item` may run now (and counts as running); false when it was queued.
    boolean enter(String key, T item) {
        Lane<T> lane = lanes.computeIfAbsent(key, k -> new Lane<>());
        synchronized (lane) {
            if (lane.active < width) {
                lane.active++;
                return true;
            }
            lane.waiting.add(item);
            return false;
        }
    }

    /// Ends one running item of the lane; returns the next to run (already counted as running), or null.
    T leave(String key) {
        Lane<T> lane = lanes.get(key);
        synchronized (lane) {
            T next = lane.waiting.poll();
            if (next == null) {
                lane.active--;
            }
            return next;
        }
    }
}
