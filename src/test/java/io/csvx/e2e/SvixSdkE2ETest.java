package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.svix.Svix;
import com.svix.SvixOptions;
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
            SvixOptions options = new SvixOptions();
            options.setServerUrl("http://127.0.0.1:" + node.app.port());
            Svix svix = new Svix(TestNode.TOKEN, options);

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
}
