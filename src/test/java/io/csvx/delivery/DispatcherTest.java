package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.config.Config;
import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.net.AddressClassifier;
import io.csvx.net.OutboundClient;
import io.csvx.store.Ids;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The dispatcher's own accounting, on a real SQLite store with nothing queued, so nothing is sent.
class DispatcherTest {
    @TempDir
    Path dir;

    private Stores stores;
    private HttpClient client;
    private Dispatcher dispatcher;

    @BeforeEach
    void setUp() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        Instant t0 = Instant.now();
        for (String app : List.of("app_1", "app_2")) {
            stores.apps().create(new Application(app, app, app, null, "{}", t0, t0));
            stores.endpoints().create(new Endpoint("ep_" + app, app, null, "http://127.0.0.1:9/", "", false, null, null,
                    null, "{}", Map.of(), null, t0, t0, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        }
        EndpointService endpoints = new EndpointService(stores.endpoints(), new SecureRandom(), Duration.ofSeconds(1));
        client = OutboundClient.start(new AddressClassifier(List.of()), 4, Duration.ofSeconds(1));
        // room beyond what a poll takes at once, so a poll of the empty queue never leaves reserve none
        Config config = Config.defaults(dir, 0).withLimits(1 << 20, 1024, 64);
        dispatcher = new Dispatcher(stores.queue(), config, new Ids(), "node_test", client,
                new RetryPolicy(config.retrySchedule(), 0, new SecureRandom()),
                new EndpointDirectory(endpoints, Duration.ofSeconds(1)), Clock.systemUTC(), new SimpleMeterRegistry());
        dispatcher.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        dispatcher.close();
        client.stop();
        stores.db().close();
    }

    @Test
    void anApplicationThatHoldsNothingAnyMoreLeavesNoCount() {
        assertThat(dispatcher.reserve("app_1", List.of("ep_app_1"))).containsExactly("ep_app_1");
        assertThat(dispatcher.reserve("app_2", List.of("ep_app_2"))).containsExactly("ep_app_2");
        assertThat(dispatcher.applicationsHolding()).isEqualTo(2);

        dispatcher.release("app_1", List.of("ep_app_1"));
        assertThat(dispatcher.applicationsHolding()).as("app_1 holds nothing: its count is gone").isEqualTo(1);
        dispatcher.release("app_2", List.of("ep_app_2"));
        assertThat(dispatcher.applicationsHolding()).isZero();

        // and counts again from nothing
        assertThat(dispatcher.reserve("app_1", List.of("ep_app_1"))).containsExactly("ep_app_1");
        assertThat(dispatcher.applicationsHolding()).isEqualTo(1);
        dispatcher.release("app_1", List.of("ep_app_1"));
    }
}
