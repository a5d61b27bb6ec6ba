package io.csvx.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PacedTest {
    @Test
    void runsBatchesUntilOneFindsNothingAndPausesBetweenThem() throws InterruptedException {
        List<Long> starts = new ArrayList<>();
        int[] left = {250};
        long total = Paced.untilDone(() -> {
            starts.add(System.nanoTime());
            int n = Math.min(100, left[0]);
            left[0] -= n;
            return n;
        });
        assertThat(total).isEqualTo(250);
        assertThat(starts).hasSize(4); // 100, 100, 50, then the one that found nothing
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).isGreaterThanOrEqualTo(Paced.MIN_PAUSE_NANOS);
        }
    }

    @Test
    void anInterruptStopsItBetweenBatches() {
        AtomicInteger calls = new AtomicInteger();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> Paced.untilDone(() -> {
            calls.incrementAndGet();
            return 1;
        })).isInstanceOf(InterruptedException.class);
        assertThat(calls).hasValue(1);
        assertThat(Thread.interrupted()).isFalse(); // the exception cleared it
    }
}
