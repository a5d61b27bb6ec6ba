package io.csvx.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.delivery.QueueGauges.Reading;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The overview's arithmetic over several nodes' readings.
class OverviewTest {
    private final Instant now = Instant.parse("2026-12-01T12:00:00Z");

    private Reading reading(String node, int secondsAgo, long delivered, long attempts, long latencyMicros, long due,
                            int inFlight, int jobs) {
        return new Reading(node, now.minusSeconds(secondsAgo), delivered, 0, 0, attempts, latencyMicros, due, 1_000,
                inFlight, jobs);
    }

    @Test
    void ratesLatencyAndLoadAreSummedOverLiveNodes() {
        Overview o = Overview.of(List.of(
                // node a: 60 delivered in the last minute, 60 attempts of 10 ms
                reading("a", 65, 100, 100, 1_000_000, 7, 1, 0), reading("a", 35, 130, 130, 1_300_000, 7, 2, 1),
                reading("a", 5, 160, 160, 1_600_000, 9, 3, 1),
                // node b: 30 more, of 40 ms each
                reading("b", 50, 0, 0, 0, 9, 0, 0), reading("b", 4, 30, 30, 1_200_000, 9, 4, 2),
                // node c stopped reporting twenty minutes ago: its old work counts in the chart, not now
                reading("c", 1260, 0, 0, 0, 3, 50, 5), reading("c", 1200, 500, 500, 500_000, 3, 50, 5)), now);
        assertThat(o.deliveredPerSecond()).isEqualTo("1.5"); // (60 + 30) / 60 s
        assertThat(o.latencyMillis()).isEqualTo("20.0"); // (600,000 + 1,200,000) µs / 90 attempts
        assertThat(o.inFlight()).isEqualTo(7);
        assertThat(o.jobsRunning()).isEqualTo(3);
        assertThat(o.nodes()).extracting(Overview.NodeView::node).containsExactly("a", "b");
        assertThat(o.due()).isEqualTo(9); // the queue as the latest reading saw it
        assertThat(o.empty()).isFalse();
        Overview.Chart rates = o.charts().getFirst();
        // node c's 500 in one 30-second step is the hour's peak: 500 / 30 s
        assertThat(rates.peak()).isEqualTo("17");
        assertThat(rates.lines().getFirst().points().split(" ")).hasSize(120);
    }

    @Test
    void withoutReadingsTheOverviewSaysItIsCollecting() {
        Overview o = Overview.of(List.of(), now);
        assertThat(o.empty()).isTrue();
        assertThat(o.nodes()).isEmpty();
        assertThat(o.latencyMillis()).isEqualTo("–");
        // the latency line leaves out steps without attempts
        assertThat(o.charts().get(1).lines().getFirst().points()).isEmpty();
    }
}
