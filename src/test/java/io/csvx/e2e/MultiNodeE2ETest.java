package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.store.postgres.TestDatabase;
import io.csvx.testing.LoopbackServer;
import io.csvx.testing.RequiresPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Three CSV-X nodes in separate processes on one PostgreSQL database; 10,000 messages to two
/// endpoints; one node killed with SIGKILL in the middle. Every message must reach every
/// endpoint, each delivery with its message's webhook-id, and the only duplicates are attempts
/// the killed node had in flight.
@RequiresPostgres
class MultiNodeE2ETest {
    private static final int MESSAGES = 10_000;
    private static final int NODE_CONCURRENCY = 64;

    @TempDir
    Path dir;

    /// A receiver that only counts: (endpoint path, webhook-id) pairs, and the webhook-id each message number came with.
    private static final class CountingReceiver implements AutoCloseable {
        final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        final Map<String, String> idOfMessage = new ConcurrentHashMap<>();
        final LongAdder total = new LongAdder();
        final LoopbackServer server;

        CountingReceiver() {
            server = new LoopbackServer(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                    String id = request.getHeaders().get("webhook-id");
                    String path = request.getHttpURI().getPath();
                    hits.computeIfAbsent(path + " " + id, k -> new AtomicInteger()).incrementAndGet();
                    String n = body.substring(body.indexOf(':') + 1, body.indexOf('}'));
                    String earlier = idOfMessage.putIfAbsent(path + " " + n, id);
                    if (earlier != null && !earlier.equals(id)) {
                        idOfMessage.put(path + " " + n, "CONFLICT " + earlier + " " + id);
                    }
                    total.increment();
                    response.setStatus(204);
                    callback.succeeded();
                    return true;
                }
            });
        }

        @Override
        public void close() {
            server.close();
        }
    }

    @Test
    void threeNodesOneKilledEveryMessageReachesEveryEndpoint() throws Exception {
        try (TestDatabase db = new TestDatabase(); CountingReceiver receiver = new CountingReceiver()) {
            List<NodeProcess> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add(NodeProcess.start(dir, db, i, "--lease", "8s", "--timeout", "2s", "--poll-interval", "100ms",
                        "--retry-schedule", "200ms,500ms,1s", "--retry-jitter", "0",
                        "--concurrency", Integer.toString(NODE_CONCURRENCY)));
                if (i == 0) {
                    nodes.getFirst().awaitHealthy(); // the first node migrates the schema alone
                }
            }
            nodes.forEach(NodeProcess::awaitHealthy);
            try {
                Api first = nodes.getFirst().api();
                first.app("acme");
                first.endpoint("acme", "{\"url\":\"" + receiver.server.url("/a") + "\"}");
                first.endpoint("acme", "{\"url\":\"" + receiver.server.url("/b") + "\"}");

                Map<Integer, String> msgIds = new ConcurrentHashMap<>();
                AtomicInteger published = new AtomicInteger();
                NodeProcess victim = nodes.get(1);
                Semaphore inFlight = new Semaphore(32);
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int n = 0; n < MESSAGES; n++) {
                        int number = n;
                        inFlight.acquireUninterruptibly();
                        pool.execute(() -> {
                            try {
                                msgIds.put(number, NodeProcess.publishOnLive(nodes, number, "acme", "e-" + number,
                                        "{\"eventType\":\"order.created\",\"eventId\":\"e-" + number
                                                + "\",\"payload\":{\"n\":" + number + "}}"));
                                if (published.incrementAndGet() == MESSAGES / 3) {
                                    victim.process().destroyForcibly(); // SIGKILL, mid-burst
                                }
                            } finally {
                                inFlight.release();
                            }
                        });
                    }
                }
                assertThat(msgIds).hasSize(MESSAGES);
                assertThat(victim.process().waitFor()).isNotZero();

                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                        .until(() -> delivered(receiver) == 2 * MESSAGES);
                for (int n = 0; n < MESSAGES; n++) {
                    for (String path : List.of("/a", "/b")) {
                        assertThat(receiver.idOfMessage.get(path + " " + n)).as("message %d at %s", n, path)
                                .isEqualTo(msgIds.get(n));
                    }
                }
                long duplicates = receiver.total.sum() - 2L * MESSAGES;
                System.out.printf("multi-node: %d deliveries, %d duplicates after the kill%n", receiver.total.sum(),
                        duplicates);
                assertThat(duplicates).as("only attempts in flight at the kill repeat").isBetween(0L,
                        (long) NODE_CONCURRENCY);
            } finally {
                NodeProcess.stopAll(nodes);
            }
        }
    }

    /// How many (endpoint, message) pairs have arrived at least once.
    private static int delivered(CountingReceiver receiver) {
        return receiver.idOfMessage.size();
    }
}
