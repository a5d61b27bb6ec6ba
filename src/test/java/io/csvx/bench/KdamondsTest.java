package io.csvx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KdamondsTest {
    private static final long MS = 1_000;

    /// Bursts at 1,000-1,040 ms and 2,000-2,030 ms of a phase.
    private final Kdamonds.Bursts bursts = new Kdamonds.Bursts(
            List.of(new long[] {1_000 * MS, 1_040 * MS}, new long[] {2_000 * MS, 2_030 * MS}), 0.07, 3);

    @Test
    void aDeliveryUnderWayDuringABurstOrItsRecoveryIsDelayedByIt() {
        assertThat(bursts.during(990 * MS, 1_001 * MS)).as("ends inside").isTrue();
        assertThat(bursts.during(1_010 * MS, 1_012 * MS)).as("inside").isTrue();
        assertThat(bursts.during(1_060 * MS, 1_062 * MS)).as("in the recovery after").isTrue();
        assertThat(bursts.during(1_500 * MS, 2_100 * MS)).as("spans the second").isTrue();
    }

    @Test
    void aDeliveryBeforeOrWellAfterEveryBurstIsNot() {
        assertThat(bursts.during(900 * MS, 999 * MS)).as("before").isFalse();
        long recovered = 1_040 * MS + Kdamonds.RECOVERY_MICROS + 1;
        assertThat(bursts.during(recovered, recovered + 5 * MS)).as("after the recovery").isFalse();
        assertThat(bursts.during(2_500 * MS, 2_510 * MS)).as("after the last").isFalse();
    }

    @Test
    void outsideKeepsTheUndelayedLatenciesSorted() {
        List<long[]> receipts = List.of(new long[] {500 * MS, 3 * MS}, new long[] {1_020 * MS, 40 * MS},
                new long[] {1_500 * MS, 2 * MS}, new long[] {1_045 * MS, 12 * MS}, new long[] {2_600 * MS, 5 * MS});
        assertThat(Kdamonds.outside(bursts, receipts)).containsExactly(2 * MS, 3 * MS, 5 * MS);
    }
}
