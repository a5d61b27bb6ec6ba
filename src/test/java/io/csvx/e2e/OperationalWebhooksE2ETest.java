package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.svix.Svix;
import com.standardwebhooks.Webhook;
import com.svix.models.ApplicationIn;
import com.svix.models.EndpointIn;
import com.svix.models.EndpointPatch;
import com.svix.models.MessageIn;
import com.svix.models.OperationalWebhookEndpointHeadersIn;
import com.svix.models.OperationalWebhookEndpointIn;
import com.svix.models.OperationalWebhookEndpointOut;
import com.svix.models.OperationalWebhookEndpointSecretIn;
import com.svix.models.OperationalWebhookEndpointUpdate;
import com.svix.models.RecoverIn;
import io.csvx.config.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Operational webhooks from real causes (an endpoint created, failing, exhausted, disabled by the
/// engine, enabled again, recovered, deleted; a background task finished), checked at a loopback
/// receiver with the independent Standard Webhooks library.
class OperationalWebhooksE2ETest {
    @TempDir
    Path dir;

    @Test
    void realCausesProduceSignedOperationalEvents() throws Exception {
        // attempts at about 0, 50, 100, 150, 200 ms and 1.2 s; failing for 700 ms disables
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir, c -> c
                .withRetrySchedule(Durations.parseList("50ms,50ms,50ms,50ms,1s"), 0)
                .withTiming(Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofSeconds(3), Duration.ofMillis(50)))) {
            Svix svix = SvixConformanceE2ETest.svix(node);
            receiver.answer((path, n) -> Receiver.Answer.of(switch (path) {
                case "/down" -> 500;
                case "/flaky" -> n <= 4 ? 500 : 200;
                default -> 200;
            }));
            OperationalWebhookEndpointOut ops = svix.getOperationalWebhookEndpoint().create(
                    new OperationalWebhookEndpointIn().url(URI.create(receiver.url("/ops"))).uid("ops"));
            OperationalWebhookEndpointOut onlyDeletes = svix.getOperationalWebhookEndpoint().create(
                    new OperationalWebhookEndpointIn().url(URI.create(receiver.url("/deletes")))
                            .filterTypes(Set.of("endpoint.deleted")));
            svix.getOperationalWebhookEndpoint().updateHeaders(ops.getId(),
                    new OperationalWebhookEndpointHeadersIn().headers(Map.of("X-Ops", "1")));
            assertThat(svix.getOperationalWebhookEndpoint().getHeaders(ops.getId()).getHeaders())
                    .containsEntry("X-Ops", "1");
            assertThat(svix.getOperationalWebhookEndpoint().list().getData()).hasSize(2);
            assertThat(svix.getOperationalWebhookEndpoint().get("ops").getId()).isEqualTo(ops.getId());
            String secret = svix.getOperationalWebhookEndpoint().getSecret(ops.getId()).getKey();

            svix.getApplication().create(new ApplicationIn().name("Acme").uid("acme"));
            String down = svix.getEndpoint().create("acme", new EndpointIn().url(URI.create(receiver.url("/down")))
                    .uid("down")).getId();
            String flaky = svix.getEndpoint().create("acme", new EndpointIn().url(URI.create(receiver.url("/flaky"))))
                    .getId();
            String msg = svix.getMessage().create("acme", new MessageIn().eventType("order.paid").eventId("evt-1")
                    .payload("{\"n\":1}")).getId();

            JsonNode exhausted = events(receiver, "message.attempt.exhausted", 1).getFirst();
            assertThat(exhausted.path("data").path("msgId").asText()).isEqualTo(msg);
            assertThat(exhausted.path("data").path("msgEventId").asText()).isEqualTo("evt-1");
            assertThat(exhausted.path("data").path("endpointId").asText()).isEqualTo(down);
            assertThat(exhausted.path("data").path("appUid").asText()).isEqualTo("acme");
            assertThat(exhausted.path("data").path("lastAttempt").path("responseStatusCode").asInt()).isEqualTo(500);
            JsonNode disabled = events(receiver, "endpoint.disabled", 1).getFirst();
            assertThat(disabled.path("data").path("endpointUid").asText()).isEqualTo("down");
            assertThat(disabled.path("data").path("trigger").asText()).isEqualTo("automatic");
            assertThat(disabled.path("data").path("failSince").asText()).isNotEmpty();
            assertThat(events(receiver, "message.attempt.failing", 2)).extracting(e -> e.path("data").path("endpointId")
                    .asText()).containsExactlyInAnyOrder(down, flaky);
            assertThat(events(receiver, "message.attempt.recovered", 1).getFirst().path("data").path("endpointId")
                    .asText()).isEqualTo(flaky);
            assertThat(events(receiver, "endpoint.created", 2)).extracting(e -> e.path("data").path("endpointId")
                    .asText()).containsExactlyInAnyOrder(down, flaky);

            // enabled again by hand, recovered by a background task, then deleted
            svix.getEndpoint().patch("acme", down, new EndpointPatch().disabled(false));
            assertThat(events(receiver, "endpoint.enabled", 1).getFirst().path("data").path("trigger").asText())
                    .isEqualTo("manual");
            events(receiver, "endpoint.updated", 1);
            String task = svix.getEndpoint().recover("acme", down, new RecoverIn()
                    .since(OffsetDateTime.now().minusHours(1))).getId();
            JsonNode finished = events(receiver, "background_task.finished", 1).getFirst();
            assertThat(finished.path("data").path("taskId").asText()).isEqualTo(task);
            assertThat(finished.path("data").path("status").asText()).isEqualTo("finished");
            assertThat(finished.path("data").path("task").asText()).isEqualTo("endpoint.recover");
            svix.getEndpoint().delete("acme", flaky);
            events(receiver, "endpoint.deleted", 1);

            // each one signed with the operational endpoint's secret, with its custom header
            List<Receiver.Hit> hits = receiver.hits("/ops");
            for (Receiver.Hit hit : hits) {
                assertThatCode(() -> new Webhook(secret).verify(hit.body(), DeliveryE2ETest.headersOf(hit)))
                        .doesNotThrowAnyException();
                assertThat(hit.header("x-ops")).isEqualTo("1");
            }
            // the filtered endpoint got only what it asked for
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/deletes").size() == 1);
            assertThat(Api.JSON.readTree(receiver.hits("/deletes").getFirst().body()).path("type").asText())
                    .isEqualTo("endpoint.deleted");

            // the application behind them is CSV-X's own: not listed, not reachable
            assertThat(svix.getApplication().list().getData()).extracting(a -> a.getUid()).containsExactly("acme");
            assertThat(node.api.get("/api/v1/app/app_csvx_operational").status()).isEqualTo(404);
            assertThat(node.api.get("/api/v1/app/app_csvx_operational/msg").status()).isEqualTo(404);

            // the rest of the operational endpoint API
            svix.getOperationalWebhookEndpoint().rotateSecret(ops.getId(), new OperationalWebhookEndpointSecretIn());
            assertThat(svix.getOperationalWebhookEndpoint().getSecret(ops.getId()).getKey()).isNotEqualTo(secret);
            assertThat(svix.getOperationalWebhookEndpoint().update(ops.getId(), new OperationalWebhookEndpointUpdate()
                    .url(URI.create(receiver.url("/ops2"))).description("moved")).getDescription()).isEqualTo("moved");
            svix.getOperationalWebhookEndpoint().delete(onlyDeletes.getId());
            assertThat(svix.getOperationalWebhookEndpoint().list().getData()).hasSize(1);
        }
    }

    /// Waits until at least `count` events of `type` reached the operational endpoint; answers them.
    private static List<JsonNode> events(Receiver receiver, String type, int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> events(receiver, type).size() >= count);
        return events(receiver, type);
    }

    private static List<JsonNode> events(Receiver receiver, String type) {
        return receiver.hits("/ops").stream().map(h -> {
            try {
                return Api.JSON.readTree(h.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(e -> e.path("type").asText().equals(type)).toList();
    }
}
