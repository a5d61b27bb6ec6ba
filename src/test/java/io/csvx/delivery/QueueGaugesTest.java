package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.config.Config;
import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.message.Message;
import io.csvx.net.AddressClassifier;
import io.csvx.net.OutboundClient;
import io.csvx.store.Ids;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.MovingClock;
import io.csvx.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The queue's gauges on a real SQLite store, with scans timed by a stand-in for `nanoTime` that
/// says each took as long as the test wants.
class QueueGaugesTest {
    @TempDir
    Path dir;

    private final Instant t0 = Instant.parse("2026-12-03T12:00:00Z");
    private final MovingClock clock = new MovingClock(t0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /// How long each scan takes, as the gauges' `nanoTime` tells it.
    private final AtomicLong scanTakes = new AtomicLong();
    private final AtomicLong timeReadings = new AtomicLong();
    private Stores stores;
    private HttpClient client;
    private QueueGauges gauges;
    private int published;

    @BeforeEach
    void setUp() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        stores.apps().create(new Application("app_1", "app_1", "app_1", null, "{}", t0, t0));
        stores.endpoints().create(new Endpoint("ep_1", "app_1", null, "http://127.0.0.1:9/", "", false, null, null,
                null, "{}", Map.of(), null, t0, t0, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        EndpointService endpoints = new EndpointService(stores.endpoints(), new SecureRandom(), Duration.ofSeconds(1));
        client = OutboundClient.start(new AddressClassifier(List.of()), 4, Duration.ofSeconds(1));
        Config config = Config.defaults(dir, 0);
        Dispatcher dispatcher = new Dispatcher(stores.queue(), config, new Ids(), "node_1", client,
                new RetryPolicy(config.retrySchedule(), 0, new SecureRandom()),
                new EndpointDirectory(endpoints, Duration.ofSeconds(1)), clock, meters); // never started
        // a scan reads the time before and after itself: 0, then scanTakes
        gauges = new QueueGauges(stores.queue(), stores.readings(), endpoints, meters, dispatcher, "node_1", clock,
                () -> timeReadings.getAndIncrement() % 2 == 0 ? 0 : scanTakes.get());
    }

    @AfterEach
    void tearDown() throws Exception {
        client.stop();
        stores.db().close();
    }

    private void publishDue(int count) {
        for (int i = 0; i < count; i++) {
            Instant at = clock.instant().minusSeconds(1);
            stores.messages().publish(new Message("msg_" + published++, "app_1", "e", null, List.of(), List.of(), "{}",
                    at, at.plus(1, ChronoUnit.DAYS), null, null), List.of("ep_1"), null, null);
        }
    }

    private double gauge(String name) {
        return meters.find(name).gauge().value();
    }

    @Test
    void aScanThatTookLongIsRepeatedOnlyAfterTwentyTimesItsTime() {
        publishDue(2);
        scanTakes.set(Duration.ofSeconds(1).toNanos());
        gauges.refresh();
        assertThat(gauge("csvx.queue.due")).isEqualTo(2);
        assertThat(gauge("csvx.queue.scan.duration")).isEqualTo(1.0);
        assertThat(meters.find("csvx.endpoint.due").tag("endpoint", "ep_1").gauge().value()).isEqualTo(2);
        double age = gauge("csvx.queue.oldest.due.age");

        publishDue(3);
        clock.advance(Duration.ofSeconds(5));
        gauges.refresh(); // within 20 s of a 1-s scan: the figures read then, the oldest one 5 s older
        assertThat(gauge("csvx.queue.due")).isEqualTo(2);
        assertThat(gauge("csvx.queue.oldest.due.age")).isEqualTo(age + 5);
        assertThat(stores.readings().since(t0.minusSeconds(1))).hasSize(2); // the node's reading, each time

        clock.advance(Duration.ofSeconds(15));
        scanTakes.set(Duration.ofMillis(10).toNanos());
        gauges.refresh();
        assertThat(gauge("csvx.queue.due")).isEqualTo(5);

        publishDue(1); // a quick scan: read again at the next refresh
        clock.advance(QueueGauges.EVERY);
        gauges.refresh();
        assertThat(gauge("csvx.queue.due")).isEqualTo(6);
    }
}
