package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Nothing accepted is lost when a node stops in the middle of a burst, whether it stops
/// gracefully (work handed back) or as a crash would (leases left to expire).
class RestartE2ETest {
    @TempDir
    Path dir;

    @Test
    void crashInTheMiddleOfABurstLosesNothing() {
        runBurstAcrossStop(true);
    }

    @Test
    void gracefulStopInTheMiddleOfABurstLosesNothing() {
        runBurstAcrossStop(false);
    }

    private void runBurstAcrossStop(boolean crash) {
        try (Receiver receiver = new Receiver()) {
            // a slow receiver and few connections keep most deliveries queued or in flight when the node stops
            java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean(true);
            receiver.answer((path, n) -> {
                if (slow.get()) {
                    sleep(100);
                }
                return Receiver.Answer.of(200);
            });
            Set<String> accepted = new HashSet<>();
            TestNode first = TestNode.start(dir, c -> c.withLimits(1 << 20, 8, 2));
            first.api.app("acme");
            first.api.endpoint("acme", "{\"url\":\"" + receiver.url("/a") + "\"}");
            first.api.endpoint("acme", "{\"url\":\"" + receiver.url("/b") + "\"}");
            for (int i = 0; i < 300; i++) {
                accepted.add(first.api.publish("acme", "burst", "{\"n\":" + i + "}"));
            }
            if (crash) {
                first.crash();
            } else {
                first.close();
            }
            int before = receiver.hits().size();
            slow.set(false);

            try (TestNode second = TestNode.start(dir)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(idsAt(receiver, "/a")).containsAll(accepted);
                    assertThat(idsAt(receiver, "/b")).containsAll(accepted);
                });
                assertThat(before).as("the stop came in the middle of the burst").isLessThan(600);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    var stats = second.api.get("/api/v1/app/acme/endpoint/"
                            + second.api.get("/api/v1/app/acme/endpoint").body().path("data").get(0).path("id").asText()
                            + "/stats").body();
                    assertThat(stats.path("success").asInt()).isEqualTo(300);
                });
            }
        }
    }

    private static Set<String> idsAt(Receiver r, String path) {
        List<String> ids = r.hits(path).stream().map(h -> h.header("webhook-id")).toList();
        return new HashSet<>(ids);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
