package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void followsTheDefaultScheduleWithoutJitter() {
        RetryPolicy p = new RetryPolicy(Config.DEFAULT_RETRY_SCHEDULE, 0, new Random(1));
        assertThat(p.delayAfter(1)).contains(Duration.ofSeconds(5));
        assertThat(p.delayAfter(2)).contains(Duration.ofMinutes(5));
        assertThat(p.delayAfter(3)).contains(Duration.ofMinutes(30));
        assertThat(p.delayAfter(4)).contains(Duration.ofHours(2));
        assertThat(p.delayAfter(5)).contains(Duration.ofHours(5));
        assertThat(p.delayAfter(6)).contains(Duration.ofHours(10));
        assertThat(p.delayAfter(7)).contains(Duration.ofHours(10));
        assertThat(p.delayAfter(8)).isEmpty(); // eight attempts in all, the first included
    }

    @Test
    void jitterStaysWithinTwentyPercentAndVaries() {
        RetryPolicy p = new RetryPolicy(Config.DEFAULT_RETRY_SCHEDULE, 0.2, new Random(42));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long ms = p.delayAfter(2).orElseThrow().toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isGreaterThanOrEqualTo(240_000).isLessThan(260_000);
        assertThat(max).isLessThanOrEqualTo(360_000).isGreaterThan(340_000);
    }

    @Test
    void classifiesResponses() {
        RetryPolicy p = new RetryPolicy(Config.DEFAULT_RETRY_SCHEDULE, 0, new Random(1));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(AttemptResult.classify(new AttemptResult.Response(204, "", null, null), 1, p, now))
                .isInstanceOf(AttemptResult.Delivered.class);
        assertThat(AttemptResult.classify(new AttemptResult.Response(500, "no", null, null), 1, p, now))
                .isEqualTo(new AttemptResult.Retry(500, "no", "HTTP 500", now.plusSeconds(5)));
        assertThat(AttemptResult.classify(new AttemptResult.Response(302, "", null, null), 1, p, now))
                .isInstanceOf(AttemptResult.Retry.class);
        assertThat(AttemptResult.classify(new AttemptResult.Response(429, "", null, Duration.ofSeconds(90)), 1, p, now))
                .isEqualTo(new AttemptResult.Retry(429, "", "HTTP 429", now.plusSeconds(90)));
        assertThat(AttemptResult.classify(new AttemptResult.Response(410, "", null, null), 1, p, now))
                .isInstanceOfSatisfying(AttemptResult.Dead.class, d -> assertThat(d.gone()).isTrue());
        assertThat(AttemptResult.classify(new AttemptResult.Response(0, "", "timed out", null), 8, p, now))
                .isInstanceOfSatisfying(AttemptResult.Dead.class, d -> assertThat(d.gone()).isFalse());
    }

    @Test
    void readsRetryAfterInSecondsAndAsADate() {
        assertThat(Sender.retryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(Sender.retryAfter("999999999")).isEqualTo(Duration.ofHours(24));
        assertThat(Sender.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(Sender.retryAfter("soon")).isNull();
    }
}
