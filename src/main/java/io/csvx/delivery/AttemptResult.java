package io.csvx.delivery;

import java.time.Duration;
import java.time.Instant;

/// What one HTTP attempt came to, as the dispatcher acts on it.
sealed interface AttemptResult {
    /// HTTP status (0 when no response), the first 4 KiB of the body, and the transport error if any.
    int statusCode();

    String body();

    String error();

    /// A 2xx within the timeout.
    record Delivered(int statusCode, String body) implements AttemptResult {
        @Override
        public String error() {
            return null;
        }
    }

    /// Failed; try again at `at`.
    record Retry(int statusCode, String body, String error, Instant at) implements AttemptResult {
    }

    /// Failed for good: the schedule is spent, or the endpoint said 410 Gone.
    record Dead(int statusCode, String body, String error, boolean gone) implements AttemptResult {
    }

    /// The raw result of sending: a status (0 when none arrived), body, error, and any Retry-After.
    record Response(int statusCode, String body, String error, Duration retryAfter) {
    }

    /// Classifies a response after `attemptsMade` attempts (this one included).
    static AttemptResult classify(Response r, int attemptsMade, RetryPolicy policy, Instant now) {
        if (r.statusCode() >= 200 && r.statusCode() < 300 && r.error() == null) {
            return new Delivered(r.statusCode(), r.body());
        }
        String error = r.error() != null ? r.error() : "HTTP " + r.statusCode();
        if (r.statusCode() == 410) {
            return new Dead(r.statusCode(), r.body(), error + ": endpoint is gone, disabling it", true);
        }
        var delay = policy.delayAfter(attemptsMade);
        if (delay.isEmpty()) {
            return new Dead(r.statusCode(), r.body(), error, false);
        }
        Duration wait = delay.get();
        if ((r.statusCode() == 429 || r.statusCode() == 503) && r.retryAfter() != null) {
            wait = r.retryAfter();
        }
        return new Retry(r.statusCode(), r.body(), error, now.plus(wait));
    }
}
