package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// One endpoint that never answers does not hold up another: what it cannot send stays in the
/// durable queue instead of filling the node's room.
class NeighbourE2ETest {
    @TempDir
    Path dir;

    /// Makes the receiver hold every request to a path starting with `prefix` open until
    /// `answer` counts down (or 25 s pass), and answer the others at once.
    private static void hang(Receiver receiver, String prefix, CountDownLatch answer) {
        receiver.answer((path, n) -> {
            if (path.startsWith(prefix)) {
                try {
                    answer.await(25, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Receiver.Answer.of(200);
        });
    }

    @Test
    void whatAFullNodeLeavesInTheQueueGoesAsSoonAsItHasRoomNotAtTheNextPoll() throws Exception {
        // four deliveries in flight on the node, a poll every 30 s, each answer 300 ms
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir, c -> c
                .withLimits(1 << 20, 4, 4)
                .withTiming(Duration.ofSeconds(2), Duration.ofDays(5), Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
            receiver.answer((path, n) -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Receiver.Answer.of(200);
            });
            // four applications with one message each fill the node; a fifth's waits in the queue,
            // committed there for want of room: the publish tells the engine once committed, and
            // the engine claims it as soon as a place frees, not at its next poll
            for (int i = 0; i < 5; i++) {
                String app = node.api.app("app" + i);
                node.api.endpoint(app, "{\"url\":\"" + receiver.url("/app" + i) + "\"}");
            }
            for (int i = 0; i < 5; i++) {
                node.api.publish("app" + i, "order.created", "{\"n\":" + i + "}");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits().size() == 5);
        }
    }

    @Test
    void anEndpointThatHangsNeverDelaysAnother() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        // a node of 64 deliveries in flight, 16 at once per endpoint; a request may take 20 s
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir, c -> c
                .withLimits(1 << 20, 64, 16)
                .withTiming(Duration.ofSeconds(20), Duration.ofDays(5), Duration.ofSeconds(30), Duration.ofMillis(100)))) {
            hang(receiver, "/hangs", answer);
            String app = node.api.app("acme");
            String hangs = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/hangs") + "\"}");
            node.api.endpoint(app, "{\"url\":\"" + receiver.url("/healthy") + "\"}");
            int messages = 500;
            for (int i = 0; i < messages; i++) {
                node.api.publish(app, "order.created", "{\"n\":" + i + "}");
            }
            // every message reaches the healthy endpoint while the other holds all its requests
            // open (well within the 20 s those requests may take): before, the node's 64 places
            // filled with deliveries waiting for the hanging endpoint and the healthy one waited too
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.hits("/healthy").size() >= messages);
            assertThat(receiver.hits("/hangs")).hasSize(16); // its lane's width, and no more
            // its backlog is in the queue, not in the node: 32 held at most (twice its lane), the rest due
            Api.Resp stats = node.api.get("/api/v1/app/" + app + "/endpoint/" + hangs + "/stats");
            assertThat(stats.body().path("due").asLong()).isGreaterThanOrEqualTo(messages - 32);
            assertThat(stats.body().path("oldestDue").isTextual()).isTrue();
            // and the metrics name it among the endpoints with the most due (refreshed every 5 s)
            await().atMost(Duration.ofSeconds(10)).until(() -> node.api.get("/metrics").text()
                    .contains("csvx_endpoint_due{endpoint=\"" + hangs + "\"}"));
            answer.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.hits("/hangs").stream()
                    .map(h -> h.header("webhook-id")).distinct().count() == messages);
        } finally {
            answer.countDown();
        }
    }

    @Test
    void anApplicationWhoseEndpointsAllHangNeverDelaysAnotherApplication() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        // 64 places, 8 at once per endpoint: eight hanging endpoints could hold 8 x 16 = 128
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir, c -> c
                .withLimits(1 << 20, 64, 8)
                .withTiming(Duration.ofSeconds(20), Duration.ofDays(5), Duration.ofSeconds(30), Duration.ofMillis(100)))) {
            hang(receiver, "/flood", answer);
            String flood = node.api.app("flood");
            for (int i = 0; i < 8; i++) {
                node.api.endpoint(flood, "{\"url\":\"" + receiver.url("/flood" + i) + "\"}");
            }
            String quiet = node.api.app("quiet");
            node.api.endpoint(quiet, "{\"url\":\"" + receiver.url("/quiet") + "\"}");
            for (int i = 0; i < 200; i++) {
                node.api.publish(flood, "order.created", "{\"n\":" + i + "}");
            }
            for (int i = 0; i < 50; i++) {
                node.api.publish(quiet, "order.created", "{\"n\":" + i + "}");
            }
            // the flooding application holds at most half the node: the quiet one's messages go out
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.hits("/quiet").size() >= 50);
            answer.countDown();
        } finally {
            answer.countDown();
        }
    }
}
