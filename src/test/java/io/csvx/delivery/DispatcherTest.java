package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.csvx.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The dispatcher's own accounting, on a real SQLite store; its endpoints refuse connections
/// (nothing listens on 127.0.0.1:9), so an attempt is answered at once.
class DispatcherTest {
    @TempDir
    Path dir;

    private Stores stores;
    private HttpClient client;
    private Dispatcher dispatcher;
    private EndpointService endpoints;
    /// Latches holding the writer, all let go when a test ends.
    private final List<CountDownLatch> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        Instant t0 = Instant.now();
        for (String app : List.of("app_1", "app_2")) {
            stores.apps().create(new Application(app, app, app, null, "{}", t0, t0));
            stores.endpoints().create(new Endpoint("ep_" + app, app, null, "http://127.0.0.1:9/", "", false, null, null,
                    null, "{}", Map.of(), null, t0, t0, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        }
        endpoints = new EndpointService(stores.endpoints(), new SecureRandom(), Duration.ofSeconds(1));
        client = OutboundClient.start(new AddressClassifier(List.of()), 4, Duration.ofSeconds(1));
        // room beyond what a poll takes at once, so a poll of the empty queue never leaves reserve none
        dispatcher = start(client, "node_test", 1024, 64);
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

    @Test
    void answeredDeliveriesWaitingForTheirWriteLeaveTheRequestsRoomButAreBoundedToo() throws Exception {
        Dispatcher small = start(client, "node_small", 4, 4);
        Instant now = Instant.now();
        List<Message> messages = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Message m = new Message("msg_" + i, "app_1", "e", null, List.of(), List.of(), "{}", now,
                    now.plusSeconds(3600), null, null);
            stores.messages().publish(m, List.of("ep_app_1"), "node_small", now.plusSeconds(30));
            messages.add(m);
        }
        CountDownLatch writerMayGo = holdTheWriter(); // the database is behind: nothing is written meanwhile
        try {
            for (Message m : messages.subList(0, 3)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> small.reserve("app_1", List.of("ep_app_1")).size() == 1);
                small.submit(m, List.of("ep_app_1"), now.plusSeconds(30));
            }
            // three answered (refused) and waiting for the writer: they hold no room for requests,
            // so two more deliveries may go at once; they count as held all the same
            await().atMost(Duration.ofSeconds(10)).until(() -> reserveBoth(small));
            assertThat(small.inFlight()).isEqualTo(5);
            small.release("app_1", List.of("ep_app_1"));
            small.release("app_2", List.of("ep_app_2"));
            assertThat(small.reserve("app_1", List.of("ep_app_1"))).containsExactly("ep_app_1");
            small.submit(messages.get(3), List.of("ep_app_1"), now.plusSeconds(30));
            // four outcomes unwritten, as many as the node may send at once: it sends nothing more
            await().atMost(Duration.ofSeconds(10)).until(() -> small.reserve("app_2", List.of("ep_app_2")).isEmpty());
            writerMayGo.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> small.inFlight() == 0);
            assertThat(small.reserve("app_2", List.of("ep_app_2"))).containsExactly("ep_app_2");
            small.release("app_2", List.of("ep_app_2"));
            assertThat(attempts()).as("every outcome written once the writer went on").isEqualTo(4);
        } finally {
            writerMayGo.countDown();
            small.close();
        }
    }

    @Test
    void aClaimTakesNoMoreOfAnApplicationThanItsShareAndPutsTheRestBack() throws Exception {
        // four endpoints of app_1 whose server accepts connections and never answers
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 512, java.net.InetAddress.getLoopbackAddress())) {
            Instant now = Instant.now();
            List<String> slow = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = "ep_slow_" + i;
                stores.endpoints().create(new Endpoint(id, "app_1", null, "http://127.0.0.1:" + silent.getLocalPort() + "/" + i,
                        "", false, null, null, null, "{}", Map.of(), null, now, now, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
                slow.add(id);
            }
            for (int i = 0; i < 10; i++) { // due in the queue, leased to no one
                stores.messages().publish(new Message("msg_" + i, "app_1", "e", null, List.of(), List.of(), "{}", now,
                        now.plusSeconds(3600), null, null), slow, null, null);
            }
            HttpClient loopback = OutboundClient.start(new AddressClassifier(List.of(io.csvx.net.Cidr.parse("127.0.0.0/8"))),
                    16, Duration.ofSeconds(1));
            // 16 places: app_1's share is 8, an endpoint holds 8 and a claim takes 4 of each, so
            // the first claim finds 16 due rows of app_1, all the room there is
            Dispatcher small = start(loopback, "node_small", 16, 4);
            try {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> small.holding("app_1") > 0 && small.inFlight() == small.holding("app_1"));
                // its share, and at most MIN_SHARE more for an endpoint that had less when it was reached
                assertThat(small.holding("app_1")).isLessThanOrEqualTo(8 + 2 * Dispatcher.MIN_SHARE);
                assertThat(small.reserve("app_2", List.of("ep_app_2"))).as("another application finds room")
                        .containsExactly("ep_app_2");
                small.release("app_2", List.of("ep_app_2"));
                long leased = stores.db().read(c -> {
                    try (var rs = c.createStatement().executeQuery(
                            "SELECT COUNT(*) FROM delivery WHERE lease_owner = 'node_small'")) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                });
                assertThat(leased).as("what the node does not hold is back in the queue")
                        .isEqualTo(small.holding("app_1"));
            } finally {
                small.halt();
                loopback.stop();
            }
        }
    }

    @Test
    void whilePublishesComeAClaimLeavesThemHalfTheFreeRoom() throws Exception {
        dispatcher.close(); // this node alone claims, so that each claim that finds work is its own
        // a retry waits ten minutes: the only due rows are those the test makes due
        Dispatcher small = start(client, "node_small", Config.defaults(dir, 0).withLimits(1 << 20, 16, 16)
                .withRetrySchedule(List.of(Duration.ofMinutes(10)), 0));
        try {
            dueInASecond(0, 4); // as many as a claim takes of one endpoint here
            CountDownLatch writerMayGo = holdTheWriter();
            assertThat(small.reserve("app_1", List.of("ep_app_1"))).containsExactly("ep_app_1"); // a publish came
            small.release("app_1", List.of("ep_app_1"));
            // the claim of the due rows holds its room while it waits to lease them (a poll that finds
            // nothing holds it for a moment only)
            assertThat(heldFor(small)).as("half the free room").isEqualTo(8);
            assertThat(small.reserve("app_1", List.of("ep_app_1"))).as("the next publish finds the other half")
                    .containsExactly("ep_app_1");
            small.release("app_1", List.of("ep_app_1"));
            writerMayGo.countDown();
            // sent, refused and recorded, every one of them: nothing is due any more
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts() == 4 && small.inFlight() == 0);

            dueInASecond(4, 4);
            writerMayGo = holdTheWriter();
            assertThat(heldFor(small)).as("no publish since the last claim that found work: all the room")
                    .isEqualTo(16);
            writerMayGo.countDown();
        } finally {
            held.forEach(CountDownLatch::countDown);
            small.halt();
        }
    }

    private int attempts() {
        return stores.db().read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM attempt")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    /// What the node holds once it has held that much (more than nothing) for half a second.
    private static int heldFor(Dispatcher d) {
        int[] seen = new int[1];
        long[] since = new long[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
            int now = d.inFlight();
            if (now == 0 || now != seen[0]) {
                seen[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since[0] >= TimeUnit.MILLISECONDS.toNanos(500);
        });
        return seen[0];
    }

    /// Publishes `count` messages to app_2's endpoint, numbered from `from`, leased to a node that
    /// is gone until a second from now: no poll before then has anything to take.
    private void dueInASecond(int from, int count) {
        Instant now = Instant.now();
        for (int i = from; i < from + count; i++) {
            stores.messages().publish(new Message("msg_" + i, "app_2", "e", null, List.of(), List.of(), "{}", now,
                    now.plusSeconds(3600), null, null), List.of("ep_app_2"), "node_gone", now.plusSeconds(1));
        }
    }

    /// Holds the writer until the latch is counted down (at most 30 s): nothing is written
    /// meanwhile, and a claim's lease waits there, holding the room its claim took.
    private CountDownLatch holdTheWriter() {
        CountDownLatch writerMayGo = new CountDownLatch(1);
        held.add(writerMayGo);
        stores.db().writeAsync(c -> {
            try {
                writerMayGo.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        return writerMayGo;
    }

    /// A started dispatcher, node `node`, of `concurrency` places and `perEndpoint` at once per endpoint.
    private Dispatcher start(HttpClient via, String node, int concurrency, int perEndpoint) {
        return start(via, node, Config.defaults(dir, 0).withLimits(1 << 20, concurrency, perEndpoint));
    }

    private Dispatcher start(HttpClient via, String node, Config config) {
        Dispatcher d = new Dispatcher(stores.queue(), config, new Ids(), node, via,
                new RetryPolicy(config.retrySchedule(), 0, new SecureRandom()),
                new EndpointDirectory(endpoints, Duration.ofSeconds(1)), Clock.systemUTC(), new SimpleMeterRegistry());
        d.start();
        return d;
    }

    /// Reserves a delivery to each application's endpoint, or none.
    private static boolean reserveBoth(Dispatcher d) {
        if (d.reserve("app_1", List.of("ep_app_1")).isEmpty()) {
            return false;
        }
        if (d.reserve("app_2", List.of("ep_app_2")).isEmpty()) {
            d.release("app_1", List.of("ep_app_1"));
            return false;
        }
        return true;
    }
}
