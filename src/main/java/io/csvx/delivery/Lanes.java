package io.csvx.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/// One lane per endpoint: at most `width` deliveries of an endpoint run at once; the rest wait
/// in order without holding a thread. Whoever finishes a delivery takes the next one of its lane.
///
/// A lane also counts what it holds (running, waiting, and places taken for deliveries a publish
/// is about to hand over), so that the dispatcher can stop giving an endpoint more than it can
/// send soon: the rest stays in the durable queue, where it costs this node nothing.
final class Lanes<T> {
    private static final class Lane<T> {
        final ArrayDeque<T> waiting = new ArrayDeque<>();
        int active;
        int reserved;

        int held() {
            return active + waiting.size() + reserved;
        }
    }

    private final int width;
    private final ConcurrentHashMap<String, Lane<T>> lanes = new ConcurrentHashMap<>();

    Lanes(int width) {
        this.width = width;
    }

    /// Takes a place for an item still to come ([#enter] with `reserved`), when the lane holds
    /// fewer than `cap`; false when it is full.
    boolean reserve(String key, int cap) {
        Lane<T> lane = lanes.computeIfAbsent(key, k -> new Lane<>());
        synchronized (lane) {
            if (lane.held() >= cap) {
                return false;
            }
            lane.reserved++;
            return true;
        }
    }

    /// Gives back a place [#reserve] took for an item that will not come.
    void unreserve(String key) {
        Lane<T> lane = lanes.get(key);
        synchronized (lane) {
            lane.reserved--;
        }
    }

    /// True when `item` may run now (and counts as running); false when it was queued. `reserved`:
    /// it comes in a place [#reserve] took.
    boolean enter(String key, T item, boolean reserved) {
        Lane<T> lane = lanes.computeIfAbsent(key, k -> new Lane<>());
        synchronized (lane) {
            if (reserved) {
                lane.reserved--;
            }
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

    /// What the lane holds: running, waiting and reserved.
    int held(String key) {
        Lane<T> lane = lanes.get(key);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return lane.held();
        }
    }

    /// The lanes holding more than `threshold`.
    List<String> holdingMoreThan(int threshold) {
        List<String> keys = new ArrayList<>();
        lanes.forEach((key, lane) -> {
            synchronized (lane) {
                if (lane.held() > threshold) {
                    keys.add(key);
                }
            }
        });
        return keys;
    }
}
