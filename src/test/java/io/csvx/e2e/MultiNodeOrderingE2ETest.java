package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.store.postgres.TestDatabase;
import io.csvx.testing.RequiresPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Per-key ordering across a crash: two CSV-X nodes in separate processes on one PostgreSQL
/// database, 10,000 messages over 100 keys to an ordered endpoint that refuses one first attempt
/// in five, and one node killed with SIGKILL a third of the way through. The surviving node takes
/// over the killed node's leased deliveries once their lease ends; a message may then arrive
/// twice, but none before the one ahead of it in its key was acknowledged.
@RequiresPostgres
class MultiNodeOrderingE2ETest {
    private static final int KEYS = 100;
    private static final int PER_KEY = 100;

    @TempDir
    Path dir;

    @Test
    void twoNodesOneKilledNoKeyGoesOutOfOrder() throws Exception {
        try (TestDatabase db = new TestDatabase(); OrderReceiver receiver = new OrderReceiver()) {
            List<NodeProcess> nodes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                nodes.add(NodeProcess.start(dir, db, i, "--lease", "5s", "--timeout", "2s", "--poll-interval", "100ms",
                        "--retry-schedule", "100ms,200ms,500ms", "--retry-jitter", "0"));
                nodes.getLast().awaitHealthy(); // the first node migrates the schema alone
            }
            try {
                Api first = nodes.getFirst().api();
                first.app("acme");
                first.endpoint("acme", "{\"url\":\"" + receiver.url("/o") + "\",\"ordering\":\"block\"}");
                NodeProcess victim = nodes.get(1);
                AtomicInteger published = new AtomicInteger();
                long t0 = System.nanoTime();
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int k = 0; k < KEYS; k++) {
                        String key = "k" + k;
                        pool.execute(() -> {
                            for (int n = 0; n < PER_KEY; n++) {
                                NodeProcess.publishOnLive(nodes, n, "acme", key + "-" + n, "{\"eventType\":\"order.updated\",\"eventId\":\""
                                        + key + "-" + n + "\",\"orderingKey\":\"" + key + "\",\"payload\":{\"key\":\"" + key
                                        + "\",\"n\":" + n + "}}");
                                if (published.incrementAndGet() == KEYS * PER_KEY / 3) {
                                    victim.process().destroyForcibly(); // SIGKILL, mid-burst
                                }
                            }
                        });
                    }
                }
                assertThat(published.get()).isEqualTo(KEYS * PER_KEY);
                long publishedAfter = System.nanoTime() - t0;
                assertThat(victim.process().waitFor()).isNotZero();

                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                        .until(() -> receiver.allAcked(KEYS, PER_KEY));
                System.out.printf("multi-node ordering: %d messages over %d keys in order; %d first attempts refused,"
                        + " %d repeats after the kill; published in %d ms, all acknowledged after %d ms%n",
                        receiver.inSequence(), KEYS, receiver.refused.sum(), receiver.repeats.sum(),
                        publishedAfter / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
                assertThat(receiver.outOfOrder.sum()).as("messages that came before the one ahead of them was acknowledged")
                        .isZero();
            } finally {
                NodeProcess.stopAll(nodes);
            }
        }
    }
}
