package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.message.Message;
import io.csvx.store.Ids;
import io.csvx.store.PageRequest;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// What the recorder makes of responses, written to a real SQLite store on a fixed clock.
class RecorderTest {
    @TempDir
    Path dir;

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final Ids ids = new Ids();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger written = new AtomicInteger();
    private final List<Integer> batches = new CopyOnWriteArrayList<>();
    private final List<String> changed = new CopyOnWriteArrayList<>();
    private final List<String> observed = new CopyOnWriteArrayList<>();
    private SqliteDb db;
    private Stores stores;
    private Recorder recorder;

    @BeforeEach
    void setUp() {
        db = SqliteDb.open(dir);
        stores = JdbcStores.create(db, TestKeys.sealer());
        stores.apps().create(new Application("app_1", "acme", "Acme", null, "{}", t0, t0));
        for (String ep : List.of("ep_1", "ep_2")) {
            stores.endpoints().create(new Endpoint(ep, "app_1", null, "http://127.0.0.1:9/" + ep, "", false, null, null,
                    null, "{}", Map.of(), null, t0, t0, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        }
        EndpointService endpoints = new EndpointService(stores.endpoints(), new SecureRandom(), Duration.ofSeconds(1));
        endpoints.onChange((app, ep) -> changed.add(ep));
        recorder = new Recorder(stores.queue(), new EndpointDirectory(endpoints, Duration.ofSeconds(1)),
                new RetryPolicy(List.of(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(1),
                        Duration.ofMinutes(1), Duration.ofMinutes(1)), 0, new SecureRandom()),
                Duration.ofDays(5), ids, Clock.fixed(t0, ZoneOffset.UTC), meters, n -> {
                    batches.add(n);
                    written.addAndGet(n);
                }, () -> { });
        recorder.observe(new DeliveryObserver() {
            @Override
            public void failing(Attempt last, String eventId) {
                observed.add("failing " + last.id());
            }

            @Override
            public void exhausted(Attempt last, String eventId) {
                observed.add("exhausted " + last.id());
            }

            @Override
            public void recovered(Attempt attempt, String eventId) {
                observed.add("recovered " + attempt.id());
            }

            @Override
            public void endpointDisabled(String appId, String endpointId, String reason) {
                observed.add("disabled " + endpointId + ": " + reason);
            }
        });
        recorder.start();
    }

    @AfterEach
    void tearDown() {
        recorder.close();
        stores.close();
    }

    private List<DeliveryQueue.Claimed> publishAndClaim(String msgId, List<String> endpoints, Instant at) {
        Message m = new Message(msgId, "app_1", "order.paid", null, null, "{\"id\": 1}", t0, t0.plus(Duration.ofDays(90)));
        stores.messages().publish(m, endpoints, null, null);
        return stores.queue().claim("node_1", at, at.plusSeconds(30), 10);
    }

    private static AttemptResult.Response status(int code) {
        return new AttemptResult.Response(code, "body " + code, null, null);
    }

    private double count(String outcome) {
        return meters.counter("csvx.deliveries", "outcome", outcome).count();
    }

    @Test
    void aSuccessIsDoneAndAFailureIsDueAtTheSchedulesNextStep() {
        List<DeliveryQueue.Claimed> claimed = publishAndClaim("msg_1", List.of("ep_1", "ep_2"), t0);
        DeliveryQueue.Claimed toEp1 = claimed.stream().filter(c -> c.endpointId().equals("ep_1")).findFirst().orElseThrow();
        DeliveryQueue.Claimed toEp2 = claimed.stream().filter(c -> c.endpointId().equals("ep_2")).findFirst().orElseThrow();

        DeliveryQueue.Outcome failed = recorder.record(toEp1, "http://127.0.0.1:9/ep_1", status(500), t0, 3_000_000);
        DeliveryQueue.Outcome ok = recorder.record(toEp2, "http://127.0.0.1:9/ep_2", status(204), t0, 1_000_000);
        assertThat(failed.nextAttempt()).isEqualTo(t0.plusSeconds(5));
        assertThat(failed.failingCutoff()).isEqualTo(t0.minus(Duration.ofDays(5)));
        assertThat(failed.attempt().error()).isEqualTo("HTTP 500");
        assertThat(ok.nextAttempt()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == 2);

        var attempts = stores.attempts().byMessage("msg_1", new PageRequest(10, null, false), AttemptStore.Filter.NONE)
                .data();
        assertThat(attempts).extracting(Attempt::statusCode).containsExactlyInAnyOrder(500, 204);
        assertThat(attempts).extracting(Attempt::durationMs).containsExactlyInAnyOrder(3L, 1L);
        assertThat(stores.queue().claim("node_1", t0.plusSeconds(4), t0.plusSeconds(34), 10)).isEmpty();
        assertThat(stores.queue().claim("node_1", t0.plusSeconds(5), t0.plusSeconds(35), 10))
                .singleElement().satisfies(c -> {
                    assertThat(c.endpointId()).isEqualTo("ep_1");
                    assertThat(c.attempts()).isEqualTo(1);
                });
        assertThat(count("delivered")).isEqualTo(1);
        assertThat(count("retry")).isEqualTo(1);
        assertThat(changed).isEmpty();
    }

    @Test
    void goneDisablesTheEndpointTellsEveryCacheAndRecordsWhy() throws Exception {
        DeliveryQueue.Claimed c = publishAndClaim("msg_2", List.of("ep_1"), t0).getFirst();
        DeliveryQueue.Outcome gone = recorder.record(c, "http://127.0.0.1:9/ep_1", status(410), t0, 1_000_000);
        assertThat(gone.gone()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> changed.contains("ep_1"));
        assertThat(stores.endpoints().byId("ep_1").orElseThrow().disabled()).isTrue();
        assertThat(count("dead")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> observed.contains("disabled ep_1: endpoint answered 410 Gone"));
        assertThat(observed).containsExactly("exhausted " + gone.attempt().id(),
                "disabled ep_1: endpoint answered 410 Gone");
    }

    @Test
    void observersHearOfTheFourthFailureInARowAndOfTheRecoveryAfterIt() {
        DeliveryQueue.Claimed first = publishAndClaim("msg_4", List.of("ep_2"), t0).getFirst();
        var third = recorder.record(new DeliveryQueue.Claimed(first.message(), "ep_2", 2, 0), "u", status(500), t0, 1);
        var fourth = recorder.record(new DeliveryQueue.Claimed(first.message(), "ep_2", 3, 0), "u", status(500), t0, 1);
        var fifth = recorder.record(new DeliveryQueue.Claimed(first.message(), "ep_2", 4, 0), "u", status(200), t0, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == 3);
        assertThat(third.nextAttempt()).isNotNull();
        assertThat(observed).containsExactly("failing " + fourth.attempt().id(), "recovered " + fifth.attempt().id());
    }

    @Test
    void outcomesThatComeWhileTwoBatchesAreWrittenAreTheNextBatchNotATransactionEach() throws Exception {
        DeliveryQueue.Claimed c = publishAndClaim("msg_5", List.of("ep_2"), t0).getFirst();
        CountDownLatch hold = new CountDownLatch(1);
        var busy = db.writeAsync(x -> {
            try {
                return hold.await(10, TimeUnit.SECONDS); // the writer busy, as under a publish burst
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 10; i++) {
            recorder.record(c, "http://127.0.0.1:9/ep_2", status(200), t0, 1_000_000);
            Thread.sleep(10); // a trickle: each response alone
        }
        hold.countDown();
        assertThat(busy.get(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == 10);
        assertThat(batches).hasSize(3); // the first two (written at once), and all that came while they waited
        assertThat(stores.attempts().byMessage("msg_5", new PageRequest(20, null, false), AttemptStore.Filter.NONE)
                .data()).hasSize(10);
    }

    @Test
    void aSpentScheduleIsDeadWithoutDisabling() {
        DeliveryQueue.Claimed first = publishAndClaim("msg_3", List.of("ep_2"), t0).getFirst();
        DeliveryQueue.Claimed sixth = new DeliveryQueue.Claimed(first.message(), "ep_2", 5, 0); // five failed before
        DeliveryQueue.Outcome dead = recorder.record(sixth, "http://127.0.0.1:9/ep_2", status(503), t0, 1_000_000);
        assertThat(dead.nextAttempt()).isNull();
        assertThat(dead.gone()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == 1);
        assertThat(stores.endpoints().stats("ep_2", t0).fail()).isEqualTo(1);
        assertThat(stores.endpoints().byId("ep_2").orElseThrow().disabled()).isFalse();
        assertThat(changed).isEmpty();
    }
}
