package io.csvx.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/// A bucket on a clock the test moves by hand.
class TokenBucketTest {
    @Test
    void aBurstThenTheSustainedRateAndTheWaitToTell() {
        AtomicLong now = new AtomicLong(-1_000_000_000L);
        TokenBucket bucket = new TokenBucket(2, 3, now::get);
        assertThat(bucket.take()).isZero();
        assertThat(bucket.take()).isZero();
        assertThat(bucket.take()).isZero();
        assertThat(bucket.take()).isEqualTo(1); // empty: half a second to the next token, told as 1 s
        now.addAndGet(500_000_000L);
        assertThat(bucket.take()).isZero();
        assertThat(bucket.take()).isEqualTo(1);
        now.addAndGet(60_000_000_000L); // idle a minute: refilled to the burst, no more
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.take()).isZero();
        }
        assertThat(bucket.take()).isPositive();
    }
}
