package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.svix.Svix;
import com.svix.models.ApplicationIn;
import com.svix.models.ApplicationOut;
import com.svix.models.EndpointIn;
import com.svix.models.EndpointOut;
import com.svix.models.MessageIn;
import com.svix.models.MessageOut;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Svix's own Java SDK, unchanged, given CSV-X's URL.
class SvixSdkE2ETest {
    @TempDir
    Path dir;

    @Test
    void officialSdkCreatesAndPublishesAndTheReceiverGetsIt() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Svix svix = svix(node);

            ApplicationOut app = svix.getApplication().create(new ApplicationIn().name("Acme").uid("acme"));
            assertThat(app.getId()).startsWith("app_");
            ApplicationOut same = svix.getApplication().getOrCreate(new ApplicationIn().name("Acme").uid("acme"));
            assertThat(same.getId()).isEqualTo(app.getId());

            EndpointOut ep = svix.getEndpoint().create("acme", new EndpointIn().url(URI.create(receiver.url("/sdk"))));
            assertThat(svix.getEndpoint().getSecret("acme", ep.getId()).getKey()).startsWith("whsec_");

            MessageOut msg = svix.getMessage().create("acme",
                    new MessageIn().eventType("file.uploaded").payload("{\"file\":\"orders.csv\"}"));
            assertThat(msg.getId()).startsWith("msg_");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/sdk").size() == 1);
            assertThat(receiver.hits("/sdk").getFirst().body()).contains("orders.csv");

            assertThat(svix.getMessage().get("acme", msg.getId()).getEventType()).isEqualTo("file.uploaded");
            assertThat(svix.getMessage().list("acme").getData()).hasSize(1);
            assertThat(svix.getEndpoint().list("acme").getData()).hasSize(1);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    svix.getMessageAttempt().listByMsg("acme", msg.getId()).getData().size() == 1);
        }
    }

    @Test
    void officialSdkManagesEndpointsAttemptsAndEventTypes() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Svix svix = svix(node);
            svix.getApplication().create(new ApplicationIn().name("Acme").uid("acme"));
            svix.getEventType().create(new com.svix.models.EventTypeIn().name("order.shipped").description("An order left"));
            assertThat(svix.getEventType().list().getData()).extracting(com.svix.models.EventTypeOut::getName)
                    .contains("file.uploaded", "job.completed", "order.shipped");

            // newer SDKs name the event filter filterTypes and the throttle rateLimit
            EndpointOut ep = svix.getEndpoint().create("acme", new EndpointIn().url(URI.create(receiver.url("/jobs")))
                    .filterTypes(java.util.Set.of("job.completed")).throttleRate(100L));
            assertThat(ep.getFilterTypes()).containsExactly("job.completed");
            assertThat(ep.getThrottleRate()).isEqualTo(100L);
            EndpointOut patched = svix.getEndpoint().patch("acme", ep.getId(),
                    new com.svix.models.EndpointPatch().description("jobs feed"));
            assertThat(patched.getDescription()).isEqualTo("jobs feed");
            assertThat(patched.getFilterTypes()).containsExactly("job.completed");
            svix.getEndpoint().updateHeaders("acme", ep.getId(),
                    new com.svix.models.EndpointHeadersIn().headers(java.util.Map.of("X-Env", "test")));
            assertThat(svix.getEndpoint().getHeaders("acme", ep.getId()).getHeaders()).containsEntry("X-Env", "test");
            svix.getEndpoint().rotateSecret("acme", ep.getId(), new com.svix.models.EndpointSecretRotateIn());

            svix.getMessage().create("acme", new MessageIn().eventType("file.uploaded").payload("{\"skip\":true}"));
            MessageOut msg = svix.getMessage().create("acme", new MessageIn().eventType("job.completed")
                    .payload("{\"job\":\"job_1\"}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/jobs").size() == 1);
            assertThat(receiver.hits("/jobs").getFirst().header("x-env")).isEqualTo("test");

            await().atMost(Duration.ofSeconds(5)).until(() ->
                    svix.getMessageAttempt().listByEndpoint("acme", ep.getId()).getData().size() == 1);
            var attempt = svix.getMessageAttempt().listByEndpoint("acme", ep.getId()).getData().getFirst();
            assertThat(attempt.getResponseStatusCode()).isEqualTo((short) 200);
            assertThat(svix.getMessageAttempt().get("acme", msg.getId(), attempt.getId()).getId()).isEqualTo(attempt.getId());
            assertThat(svix.getMessageAttempt().listAttemptedDestinations("acme", msg.getId()).getData()).hasSize(1);
            assertThat(svix.getMessageAttempt().listAttemptedMessages("acme", ep.getId()).getData()).hasSize(1);
            assertThat(svix.getEndpoint().getStats("acme", ep.getId()).getSuccess()).isEqualTo(1L);

            // the SDK's own resend() builds a POST without a body, which its HTTP library refuses
            // before sending anything; the route itself is exercised as the SDK would call it
            assertThat(node.api.post("/api/v1/app/acme/msg/" + msg.getId() + "/endpoint/" + ep.getId() + "/resend", "{}")
                    .status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/jobs").size() == 2);
            assertThat(svix.getEndpoint().recover("acme", ep.getId(),
                    new com.svix.models.RecoverIn().since(java.time.OffsetDateTime.now().minusHours(1))).getId()).isNotBlank();
            svix.getEndpoint().delete("acme", ep.getId());
            assertThat(svix.getEndpoint().list("acme").getData()).isEmpty();
        }
    }

    private static Svix svix(TestNode node) {
        return SvixConformanceE2ETest.svix(node);
    }
}
