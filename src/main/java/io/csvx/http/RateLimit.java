package io.csvx.http;

import java.util.concurrent.locks.ReentrantLock;

/// A token bucket over all API requests: `perSecond` sustained, bursts up to one second's worth.
/// Requests over it answer 429 with `Retry-After`.
final class RateLimit {
    private final double perSecond;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long last = System.nanoTime();

    RateLimit(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
    }

    /// Zero when the request may go ahead, else the seconds to wait before trying again.
    long take() {
        lock.lock();
        try {
            long now = System.nanoTime();
            tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        } finally {
            lock.unlock();
        }
    }
}
