package io.csvx.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csvx.config.Config;
import io.csvx.delivery.DeliveryQueue;
import io.csvx.endpoint.Endpoint;
import io.csvx.store.Ids;
import io.csvx.store.StoreException;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.IdlePublishing;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Fan-out over a real SQLite store, with a real dispatcher that is not running (so it has no
/// room, and every delivery waits in the queue for whichever node claims it): [IdlePublishing].
class PublisherTest {
    @TempDir
    Path dir;

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final Ids ids = new Ids();
    private Stores stores;
    private IdlePublishing publishing;
    private Publisher publisher;

    @BeforeEach
    void setUp() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        stores.apps().create(new Application("app_1", "acme", "Acme", null, "{}", t0, t0));
        endpoint("ep_all", null, null, false);
        endpoint("ep_orders", List.of("order.paid"), null, false);
        endpoint("ep_eu", null, List.of("eu"), false);
        endpoint("ep_off", null, null, true);
        publishing = new IdlePublishing(stores, ids, Config.defaults(dir, 0));
        publisher = publishing.publisher();
    }

    @AfterEach
    void tearDown() throws Exception {
        publishing.close();
        stores.close();
    }

    private void endpoint(String id, List<String> eventTypes, List<String> channels, boolean disabled) {
        stores.endpoints().create(new Endpoint(id, "app_1", null, "http://127.0.0.1:9/" + id, "", disabled, eventTypes,
                channels, null, "{}", Map.of(), null, t0, t0, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    private List<String> due() {
        return stores.queue().claim("node_2", Instant.now(), Instant.now().plusSeconds(30), 100).stream()
                .map(DeliveryQueue.Claimed::endpointId).sorted().toList();
    }

    @Test
    void aMessageGoesToEveryEndpointWhoseFiltersItPasses() {
        publisher.publish(new Message("msg_1", "app_1", "order.paid", null, null, "{}", t0, t0.plusSeconds(60)));
        assertThat(due()).containsExactly("ep_all", "ep_orders");
        publisher.publish(new Message("msg_2", "app_1", "order.shipped", null, List.of("eu"), "{}", t0,
                t0.plusSeconds(60)));
        assertThat(due()).containsExactly("ep_all", "ep_eu");
    }

    /// Another node deleted an endpoint (in the store, not through this node's service): this
    /// node's cache still holds it, the delivery's foreign key fails, and the publish goes to the
    /// endpoints that are left instead of failing.
    @Test
    void anEndpointDeletedElsewhereWhileCachedIsLeftOut() {
        publisher.publish(new Message("msg_1", "app_1", "order.paid", null, null, "{}", t0, t0.plusSeconds(60)));
        assertThat(due()).containsExactly("ep_all", "ep_orders");
        assertThat(stores.endpoints().delete("app_1", "ep_all")).isTrue();
        assertThat(publishing.endpoints().forApp("app_1")).extracting(Endpoint::id).contains("ep_all"); // still cached

        publisher.publish(new Message("msg_2", "app_1", "order.paid", null, null, "{}", t0, t0.plusSeconds(60)));

        assertThat(stores.messages().find("app_1", "msg_2")).isPresent();
        assertThat(due()).containsExactly("ep_orders");
        assertThat(publishing.endpoints().forApp("app_1")).extracting(Endpoint::id).doesNotContain("ep_all");
    }

    @Test
    void ownEventsHaveTheStandardShapeAndAreOnceByEventId() {
        publisher.publishEvent("app_1", Events.JOB_COMPLETED, "job_1.completed", t0, Map.of("job", Map.of("id", "job_1")));
        Message m = stores.messages().find("app_1", "job_1.completed").orElseThrow();
        assertThat(m.payload()).isEqualTo("{\"type\":\"job.completed\",\"timestamp\":\"" + t0
                + "\",\"data\":{\"job\":{\"id\":\"job_1\"}}}");
        assertThat(m.expiresAt()).isEqualTo(t0.plus(Events.DEFAULT_RETENTION));
        assertThatThrownBy(() -> publisher.publishEvent("app_1", Events.JOB_COMPLETED, "job_1.completed", t0, Map.of()))
                .isInstanceOf(StoreException.Conflict.class);
    }
}
