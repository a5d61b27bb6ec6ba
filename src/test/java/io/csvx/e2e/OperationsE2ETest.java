package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Endpoint health, metrics and API-only nodes.
class OperationsE2ETest {
    @TempDir
    Path dir;

    @Test
    void anEndpointFailingLongerThanDisableAfterIsDisabled() {
        try (Receiver receiver = new Receiver();
             TestNode node = TestNode.start(dir, c -> c.withRetrySchedule(Durations.parseList("200ms,200ms,200ms,200ms,200ms"), 0)
                     .withTiming(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofMillis(50)))) {
            receiver.answer((path, n) -> Receiver.Answer.of(500));
            node.api.app("acme");
            String ep = node.api.endpoint("acme", "{\"url\":\"" + receiver.url("/sick") + "\"}");
            node.api.publish("acme", "a", "{}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(node.api.get("/api/v1/app/acme/endpoint/" + ep).body().path("disabled").asBoolean()).isTrue());
            // it was retried for a while first: more than one attempt, fewer than the whole schedule
            assertThat(receiver.hits("/sick").size()).isBetween(2, 5);

            // enabling it again starts a fresh failure clock and delivery resumes
            receiver.answer((path, n) -> Receiver.Answer.of(200));
            node.api.patch("/api/v1/app/acme/endpoint/" + ep, "{\"disabled\":false}");
            node.api.publish("acme", "a", "{\"after\":true}");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    receiver.hits("/sick").stream().anyMatch(h -> h.body().contains("after")));
        }
    }

    @Test
    void metricsCountDeliveriesByOutcome() {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            receiver.answer((path, n) -> Receiver.Answer.of(n == 1 ? 500 : 200));
            node.api.app("acme");
            node.api.endpoint("acme", "{\"url\":\"" + receiver.url("/m") + "\"}");
            node.api.publish("acme", "a", "{}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/m").size() == 2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String text;
                try (Api anonymous = new Api(node.api.base, null)) {
                    text = anonymous.call(HttpMethod.GET, "/metrics", null, java.util.Map.of()).text();
                }
                assertThat(text).contains("csvx_deliveries_total{outcome=\"delivered\"} 1.0")
                        .contains("csvx_deliveries_total{outcome=\"retry\"} 1.0")
                        .contains("csvx_attempt_latency_seconds_count 2")
                        .contains("csvx_queue_due ").contains("csvx_queue_oldest_due_age_seconds ")
                        .contains("csvx_deliveries_in_flight ")
                        // the JVM's own, beside them
                        .contains("jvm_memory_used_bytes{").contains("jvm_gc_max_data_size_bytes ")
                        .contains("jvm_compilation_time_ms_total").contains("jvm_threads_live_threads ")
                        .contains("process_cpu_usage ");
                // the retry by a claim; the first attempt by the publish's hand-over, unless the node's
                // poll claimed the row first (it may, between the commit and the hand-over)
                assertThat(dispatched(text, "queue")).isBetween(1.0, 2.0);
                assertThat(dispatched(text, "publish") + dispatched(text, "queue")).isEqualTo(2.0);
            });
        }
    }

    /// The value of `csvx_dispatched_total{from="from"}` in a `/metrics` text.
    private static double dispatched(String metrics, String from) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^csvx_dispatched_total\\{from=\"" + from + "\"} ([\\d.E+]+)$").matcher(metrics);
        assertThat(m.find()).as("csvx_dispatched_total from %s in%n%s", from, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void anApiOnlyNodeStoresAndADeliveringNodeSends() {
        try (Receiver receiver = new Receiver()) {
            String msg;
            try (TestNode apiOnly = TestNode.start(dir, c -> c.withDispatch(false))) {
                apiOnly.api.app("acme");
                apiOnly.api.endpoint("acme", "{\"url\":\"" + receiver.url("/later") + "\"}");
                msg = apiOnly.api.publish("acme", "a", "{}");
                assertThat(apiOnly.api.get("/api/v1/app/acme/msg/" + msg + "/endpoint").body().path("data").get(0)
                        .path("statusText").asText()).isEqualTo("pending");
            }
            assertThat(receiver.hits()).isEmpty();
            try (TestNode worker = TestNode.start(dir)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/later").size() == 1);
                assertThat(receiver.hits("/later").getFirst().header("webhook-id")).isEqualTo(msg);
            }
        }
    }

    @Test
    void throttleRateSpacesDeliveriesToAnEndpoint() {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            node.api.app("acme");
            node.api.endpoint("acme", "{\"url\":\"" + receiver.url("/throttled") + "\",\"throttleRate\":5}");
            for (int i = 0; i < 10; i++) {
                node.api.publish("acme", "a", "{\"n\":" + i + "}");
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.hits("/throttled").size() == 10);
            var hits = receiver.hits("/throttled");
            long spanMillis = (hits.getLast().nanos() - hits.getFirst().nanos()) / 1_000_000;
            // 10 deliveries at 5 per second: 9 intervals of 200 ms
            assertThat(spanMillis).isGreaterThanOrEqualTo(1600);
        }
    }

    @Test
    void endpointConcurrencyBoundsRequestsInFlightToOneEndpoint() {
        java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir, c -> c.withLimits(1 << 20, 64, 2))) {
            receiver.answer((path, n) -> {
                peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                now.decrementAndGet();
                return Receiver.Answer.of(200);
            });
            node.api.app("acme");
            node.api.endpoint("acme", "{\"url\":\"" + receiver.url("/narrow") + "\"}");
            for (int i = 0; i < 8; i++) {
                node.api.publish("acme", "a", "{\"n\":" + i + "}");
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.hits("/narrow").size() == 8);
            assertThat(peak.get()).isBetween(1, 2);
        }
    }
}
