package io.csvx.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/// When to try again: the first attempt is immediate, then one delay per schedule entry,
/// each spread by ±`jitter` so that retries of a burst do not arrive together.
public final class RetryPolicy {
    private final List<Duration> schedule;
    private final double jitter;
    private final RandomGenerator random;

    public RetryPolicy(List<Duration> schedule, double jitter, RandomGenerator random) {
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.random = random;
    }

    /// The delay before the next attempt after `attemptsMade` failed ones, or empty when the schedule is spent.
    public Optional<Duration> delayAfter(int attemptsMade) {
        if (attemptsMade < 1 || attemptsMade > schedule.size()) {
            return Optional.empty();
        }
        long base = schedule.get(attemptsMade - 1).toMillis();
        double factor = jitter == 0 ? 1 : 1 + (random.nextDouble() * 2 - 1) * jitter;
        return Optional.of(Duration.ofMillis(Math.round(base * factor)));
    }
}
