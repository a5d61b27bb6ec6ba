package io.csvx.net;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/// A token bucket: `perSecond` sustained, bursts up to `burst` at once. What goes over it is told
/// how long to wait, for a `Retry-After`.
public final class TokenBucket {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long last;

    /// `nanoTime` is the clock tokens refill by (`System::nanoTime` in a node).
    public TokenBucket(double perSecond, double burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /// Zero when one more may go ahead (and takes its token), else the whole seconds to wait.
    public long take() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
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
