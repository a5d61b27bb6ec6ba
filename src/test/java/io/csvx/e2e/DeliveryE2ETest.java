package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Delivery end to end: the real server, SQLite in a temp dir, and a real receiver on loopback.
class DeliveryE2ETest {
    @TempDir
    Path dir;

    TestNode node;
    Receiver receiver;
    Api api;

    @BeforeEach
    void start() {
        node = TestNode.start(dir);
        api = node.api;
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        node.close();
        receiver.close();
    }

    @Test
    void deliversASignedRequestThatAnIndependentVerifierAccepts() throws Exception {
        String app = api.app("acme");
        String ep = api.endpoint(app, "{\"url\":\"" + receiver.url("/hook") + "\"}");
        api.put("/api/v1/app/acme/endpoint/" + ep + "/headers", "{\"headers\":{\"X-Tenant\":\"acme\"}}");
        String msg = api.publish("acme", "file.uploaded", "{\"file\":\"orders.csv\",\"rows\":3}");

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hook").size() == 1);
        Receiver.Hit hit = receiver.hits("/hook").getFirst();
        assertThat(hit.body()).isEqualTo("{\"file\":\"orders.csv\",\"rows\":3}");
        assertThat(hit.header("webhook-id")).isEqualTo(msg).isEqualTo(hit.header("svix-id"));
        assertThat(hit.header("webhook-timestamp")).isEqualTo(hit.header("svix-timestamp"));
        assertThat(hit.header("webhook-signature")).startsWith("v1,").isEqualTo(hit.header("svix-signature"));
        assertThat(hit.header("content-type")).startsWith("application/json");
        assertThat(hit.header("x-tenant")).isEqualTo("acme");
        assertThat(Long.parseLong(hit.header("webhook-timestamp"))).isCloseTo(Instant.now().getEpochSecond(),
                org.assertj.core.data.Offset.offset(30L));

        String secret = api.get("/api/v1/app/acme/endpoint/" + ep + "/secret").str("key");
        assertThatCode(() -> new Webhook(secret).verify(hit.body(), headersOf(hit))).doesNotThrowAnyException();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode attempts = api.get("/api/v1/app/acme/attempt/msg/" + msg).body();
            assertThat(attempts.path("data")).hasSize(1);
            JsonNode a = attempts.path("data").get(0);
            assertThat(a.path("id").asText()).startsWith("atmpt_");
            assertThat(a.path("status").asInt()).isZero();
            assertThat(a.path("responseStatusCode").asInt()).isEqualTo(200);
            assertThat(a.path("response").asText()).isEqualTo("ok 1");
            assertThat(a.path("triggerType").asInt()).isZero();
            assertThat(a.path("endpointId").asText()).isEqualTo(ep);
        });
        JsonNode dest = api.get("/api/v1/app/acme/msg/" + msg + "/endpoint").body().path("data").get(0);
        assertThat(dest.path("statusText").asText()).isEqualTo("success");
        JsonNode stats = api.get("/api/v1/app/acme/endpoint/" + ep + "/stats").body();
        assertThat(stats.path("success").asInt()).isEqualTo(1);
    }

    @Test
    void retriesOnTheScheduleUntilTheEndpointAnswers2xx() {
        receiver.answer((path, n) -> Receiver.Answer.of(n < 3 ? 500 : 204));
        api.app("acme");
        api.endpoint("acme", "{\"url\":\"" + receiver.url("/flaky") + "\"}");
        String msg = api.publish("acme", "job.completed", "{\"job\":1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/flaky").size() == 3);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode data = api.get("/api/v1/app/acme/attempt/msg/" + msg).body().path("data");
            assertThat(data).hasSize(3);
            // newest first
            assertThat(data.get(0).path("responseStatusCode").asInt()).isEqualTo(204);
            assertThat(data.get(1).path("responseStatusCode").asInt()).isEqualTo(500);
            assertThat(data.get(1).path("statusText").asText()).isEqualTo("fail");
        });
        // every attempt carries the same message id
        assertThat(receiver.hits("/flaky")).extracting(h -> h.header("webhook-id")).containsOnly(msg);
    }

    @Test
    void givesUpAfterTheScheduleAndResendDeliversManually() {
        receiver.answer((path, n) -> Receiver.Answer.of(n <= 4 ? 503 : 200));
        api.app("acme");
        String ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/down") + "\"}");
        String msg = api.publish("acme", "job.failed", "{\"job\":2}");

        // 1 attempt + 3 retries, then failed for good
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/app/acme/msg/" + msg + "/endpoint").body().path("data").get(0)
                        .path("statusText").asText()).isEqualTo("fail"));
        assertThat(receiver.hits("/down")).hasSize(4);

        assertThat(api.post("/api/v1/app/acme/msg/" + msg + "/endpoint/" + ep + "/resend", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/down").size() == 5);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode latest = api.get("/api/v1/app/acme/attempt/endpoint/" + ep).body().path("data").get(0);
            assertThat(latest.path("triggerType").asInt()).isEqualTo(1);
            assertThat(latest.path("status").asInt()).isZero();
        });
    }

    @Test
    void recoverResendsFailedMessagesSinceATime() {
        receiver.answer((path, n) -> Receiver.Answer.of(500));
        api.app("acme");
        String ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/r") + "\"}");
        Instant since = Instant.now().minusSeconds(1);
        api.publish("acme", "a", "{\"n\":1}");
        api.publish("acme", "a", "{\"n\":2}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/app/acme/endpoint/" + ep + "/stats").body().path("fail").asInt()).isEqualTo(2));

        receiver.answer((path, n) -> Receiver.Answer.of(200));
        Api.Resp r = api.post("/api/v1/app/acme/endpoint/" + ep + "/recover", "{\"since\":\"" + since + "\"}");
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.str("task")).isEqualTo("endpoint.recover");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/app/acme/endpoint/" + ep + "/stats").body().path("success").asInt()).isEqualTo(2));
    }

    @Test
    void goneDisablesTheEndpointAndRecordsWhy() {
        receiver.answer((path, n) -> Receiver.Answer.of(410));
        api.app("acme");
        String ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/gone") + "\"}");
        api.publish("acme", "a", "{}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/app/acme/endpoint/" + ep).body().path("disabled").asBoolean()).isTrue());
        assertThat(receiver.hits("/gone")).hasSize(1);
        // a disabled endpoint gets no new messages
        api.publish("acme", "a", "{}");
        assertThat(api.get("/api/v1/app/acme/endpoint/" + ep + "/stats").body().path("pending").asInt()).isZero();
    }

    @Test
    void honoursRetryAfterOn429() {
        receiver.answer((path, n) -> n == 1 ? new Receiver.Answer(429, Map.of("Retry-After", "1")) : Receiver.Answer.of(200));
        api.app("acme");
        api.endpoint("acme", "{\"url\":\"" + receiver.url("/slow") + "\"}");
        api.publish("acme", "a", "{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/slow").size() == 2);
        // the retry waited for Retry-After (1 s), not the 100 ms schedule
        List<Receiver.Hit> hits = receiver.hits("/slow");
        long gapMillis = (hits.get(1).nanos() - hits.get(0).nanos()) / 1_000_000;
        assertThat(gapMillis).isGreaterThanOrEqualTo(900);
    }

    @Test
    void filtersByEventTypeAndChannel() {
        api.app("acme");
        api.endpoint("acme", "{\"url\":\"" + receiver.url("/jobs") + "\",\"eventTypes\":[\"job.completed\"]}");
        api.endpoint("acme", "{\"url\":\"" + receiver.url("/eu") + "\",\"channels\":[\"eu\"]}");
        api.endpoint("acme", "{\"url\":\"" + receiver.url("/all") + "\"}");
        api.publish("acme", "file.uploaded", "{\"n\":1}");
        api.publish("acme", "job.completed", "{\"n\":2}");
        api.post("/api/v1/app/acme/msg", "{\"eventType\":\"file.uploaded\",\"channels\":[\"eu\"],\"payload\":{\"n\":3}}");

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/all").size() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.hits("/jobs").size() == 1 && receiver.hits("/eu").size() == 1);
        assertThat(receiver.hits("/jobs").getFirst().body()).isEqualTo("{\"n\":2}");
        assertThat(receiver.hits("/eu").getFirst().body()).isEqualTo("{\"n\":3}");
    }

    @Test
    void rotationSignsWithBothSecretsDuringTheGracePeriod() throws Exception {
        api.app("acme");
        String ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/rot") + "\"}");
        String oldSecret = api.get("/api/v1/app/acme/endpoint/" + ep + "/secret").str("key");
        assertThat(api.post("/api/v1/app/acme/endpoint/" + ep + "/secret/rotate", "{}").status()).isEqualTo(204);
        String newSecret = api.get("/api/v1/app/acme/endpoint/" + ep + "/secret").str("key");
        assertThat(newSecret).isNotEqualTo(oldSecret).startsWith("whsec_");

        api.publish("acme", "a", "{\"rotated\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/rot").size() == 1);
        Receiver.Hit hit = receiver.hits("/rot").getFirst();
        assertThat(hit.header("webhook-signature").split(" ")).hasSize(2);
        assertThatCode(() -> new Webhook(oldSecret).verify(hit.body(), headersOf(hit))).doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(newSecret).verify(hit.body(), headersOf(hit))).doesNotThrowAnyException();

        // a rotation with no grace stops the replaced secret at once; the first one is still in its grace
        assertThat(api.post("/api/v1/app/acme/endpoint/" + ep + "/secret/rotate", "{\"gracePeriodSeconds\":0}").status())
                .isEqualTo(204);
        String third = api.get("/api/v1/app/acme/endpoint/" + ep + "/secret").str("key");
        api.publish("acme", "a", "{\"rotated\":2}");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/rot").size() == 2);
        Receiver.Hit second = receiver.hits("/rot").get(1);
        assertThat(second.header("webhook-signature").split(" ")).hasSize(2);
        assertThatCode(() -> new Webhook(third).verify(second.body(), headersOf(second))).doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(oldSecret).verify(second.body(), headersOf(second))).doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(newSecret).verify(second.body(), headersOf(second)))
                .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    }

    static Map<String, List<String>> headersOf(Receiver.Hit hit) {
        return Map.of("webhook-id", List.of(hit.header("webhook-id")),
                "webhook-timestamp", List.of(hit.header("webhook-timestamp")),
                "webhook-signature", List.of(hit.header("webhook-signature")));
    }
}
