package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/// Slots per endpoint on a clock the test moves by hand.
class ThrottleTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachRequestWaitsOneIntervalAfterTheOneBeforeAndEndpointsDoNotShare() {
        AtomicLong now = new AtomicLong(-5 * SECOND); // nanoTime may be negative
        Throttle throttle = new Throttle(now::get);
        assertThat(throttle.reserve("ep_1", 4)).isZero();
        assertThat(throttle.reserve("ep_1", 4)).isEqualTo(SECOND / 4);
        assertThat(throttle.reserve("ep_1", 4)).isEqualTo(SECOND / 2);
        assertThat(throttle.reserve("ep_2", 4)).isZero(); // another endpoint has its own slots

        now.addAndGet(SECOND / 4); // a quarter second later, two slots of ep_1 are still ahead
        assertThat(throttle.reserve("ep_1", 4)).isEqualTo(SECOND / 2);

        now.addAndGet(10 * SECOND); // idle a while: no credit is saved up, the next is free at once
        assertThat(throttle.reserve("ep_1", 4)).isZero();
        assertThat(throttle.reserve("ep_1", 4)).isEqualTo(SECOND / 4);
    }
}
