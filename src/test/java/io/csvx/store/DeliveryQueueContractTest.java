package io.csvx.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.dataset.Dataset;
import io.csvx.dataset.DatasetDiff;
import io.csvx.dataset.DatasetStore;
import io.csvx.dataset.DatasetVersion;
import io.csvx.dataset.Notify;
import io.csvx.delivery.Attempt;
import io.csvx.delivery.AttemptStore;
import io.csvx.delivery.BackgroundTask;
import io.csvx.delivery.DeliveryQueue;
import io.csvx.endpoint.Endpoint;
import io.csvx.http.IdempotencyStore;
import io.csvx.job.Glob;
import io.csvx.message.DeliveryState;
import io.csvx.message.Message;
import io.csvx.message.MessageStore;
import io.csvx.source.InboundRequest;
import io.csvx.source.Source;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// What every store backend must do, run here against SQLite; `PostgresDeliveryQueueContractTest`
/// runs it against PostgreSQL by overriding [#open].
public class DeliveryQueueContractTest {
    @TempDir
    Path dir;

    protected Stores stores;
    protected final Ids ids = new Ids();
    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    protected Stores open(Path directory) {
        return JdbcStores.create(SqliteDb.open(directory), TestKeys.sealer());
    }

    @BeforeEach
    void setUp() {
        stores = open(dir);
        stores.apps().create(new Application("app_1", "acme", "Acme", null, "{}", t0, t0));
        createEndpoint("ep_1");
        createEndpoint("ep_2");
    }

    /// An endpoint of app_1 at a loopback URL nothing answers.
    private void createEndpoint(String id) {
        stores.endpoints().create(new Endpoint(id, "app_1", null, "http://127.0.0.1:9/" + id, "", false, null, null,
                null, "{}", Map.of(), null, t0, t0, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    /// The source src_1 of app_1: no verification, each request emitted as an event.
    private void createSource() throws Exception {
        ObjectMapper json = new ObjectMapper();
        stores.sources().create(new Source("src_1", "app_1", null, "s", (ObjectNode) json.readTree("{\"type\":\"none\"}"),
                (ObjectNode) json.readTree("{\"type\":\"emit\",\"eventType\":\"x\"}"), null, t0, t0));
    }

    @AfterEach
    void tearDown() {
        stores.close(); // closing twice is harmless
    }

    /// Row counts, straight from the tables.
    static final class Tables {
        static long count(java.sql.Connection c, String table) throws java.sql.SQLException {
            return count(c, table, "1 = 1");
        }

        static long count(java.sql.Connection c, String table, String where) throws java.sql.SQLException {
            try (var st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    Message message(String id) {
        return new Message(id, "app_1", "a", null, null, "{\"id\":\"" + id + "\"}", t0, t0.plus(Duration.ofDays(90)));
    }

    @Test
    void publishedDeliveriesAreClaimedOnceUntilTheLeaseExpires() {
        stores.messages().publish(message("msg_1"), List.of("ep_1", "ep_2"), null, null);
        var first = stores.queue().claim("node_a", t0, t0.plusSeconds(30), 10);
        assertThat(first).extracting(DeliveryQueue.Claimed::endpointId).containsExactlyInAnyOrder("ep_1", "ep_2");
        assertThat(first.getFirst().message().payload()).isEqualTo("{\"id\":\"msg_1\"}");
        assertThat(stores.queue().claim("node_b", t0.plusSeconds(1), t0.plusSeconds(31), 10)).isEmpty();
        // the lease expired: another node may take the work
        assertThat(stores.queue().claim("node_b", t0.plusSeconds(31), t0.plusSeconds(61), 10)).hasSize(2);
    }

    @Test
    void theDepthCountsWhatAClaimCouldTake() {
        stores.messages().publish(message("msg_1"), List.of("ep_1", "ep_2"), null, null);
        stores.messages().publish(message("msg_2"), List.of("ep_2"), null, null);
        assertThat(stores.queue().depth(t0)).isEqualTo(new DeliveryQueue.Depth(3, t0));
        // a disabled endpoint's deliveries wait for it to be enabled: not due for anyone meanwhile
        Endpoint ep2 = stores.endpoints().byId("ep_2").orElseThrow();
        stores.endpoints().update(new Endpoint(ep2.id(), ep2.appId(), ep2.uid(), ep2.url(), ep2.description(), true,
                ep2.eventTypes(), ep2.channels(), ep2.throttleRate(), ep2.metadata(), ep2.headers(), ep2.failingSince(),
                ep2.createdAt(), t0, ep2.format(), ep2.filter(), ep2.ordering()));
        assertThat(stores.queue().depth(t0)).isEqualTo(new DeliveryQueue.Depth(1, t0));
        assertThat(stores.queue().claim("node_a", t0, t0.plusSeconds(30), 10)).singleElement()
                .satisfies(c -> assertThat(c.endpointId()).isEqualTo("ep_1"));
        assertThat(stores.queue().depth(t0)).isEqualTo(new DeliveryQueue.Depth(0, null));
    }

    @Test
    void aPublishKeepsItsAnswerUnderItsKeyOnce() {
        var answer = new MessageStore.Answer("POST /api/v1/app/app_1/msg k", 202, "{\"id\":\"msg_1\"}", t0);
        stores.messages().publish(message("msg_1"), List.of("ep_1"), java.util.Set.of(), java.util.Set.of(), null, null,
                answer);
        assertThat(stores.idempotency().find(answer.key()))
                .contains(new io.csvx.http.IdempotencyStore.Stored(202, "{\"id\":\"msg_1\"}"));
        // a repeat with the key stores nothing of its own
        assertThatThrownBy(() -> stores.messages().publish(message("msg_2"), List.of("ep_1"), java.util.Set.of(),
                java.util.Set.of(), null, null, answer)).isInstanceOf(MessageStore.KeyTaken.class);
        assertThat(stores.messages().find("app_1", "msg_2")).isEmpty();
        assertThat(stores.queue().depth(t0).due()).isEqualTo(1);
    }

    @Test
    void leasedAtPublishIsNotClaimableUntilReleased() {
        stores.messages().publish(message("msg_1"), List.of("ep_1"), "node_a", t0.plusSeconds(30));
        assertThat(stores.queue().claim("node_b", t0, t0.plusSeconds(30), 10)).isEmpty();
        var claimed = new DeliveryQueue.Claimed(message("msg_1"), "ep_1", 0, 0);
        stores.queue().release("node_a", List.of(claimed), t0);
        assertThat(stores.queue().claim("node_b", t0, t0.plusSeconds(30), 10)).hasSize(1);
    }

    @Test
    void outcomesRecordAttemptsRetriesAndHealth() {
        stores.messages().publish(message("msg_1"), List.of("ep_1", "ep_2"), null, null);
        stores.queue().claim("node_a", t0, t0.plusSeconds(30), 10);
        Attempt fail = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_1", "ep_1", "app_1", "u", 2, 500, "no", 3, "HTTP 500", 0, t0);
        Attempt ok = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_1", "ep_2", "app_1", "u", 0, 200, "ok", 2, null, 0, t0);
        List<String> disabled = stores.queue().record(List.of(
                new DeliveryQueue.Outcome(fail, t0.plusSeconds(5), DeliveryState.PENDING, false, t0.minusSeconds(1)),
                new DeliveryQueue.Outcome(ok, null, DeliveryState.SUCCESS, false, null))).join().disabled();
        assertThat(disabled).isEmpty();
        assertThat(stores.endpoints().byId("ep_1").orElseThrow().failingSince()).isEqualTo(t0);
        assertThat(stores.endpoints().stats("ep_2", t0).success()).isEqualTo(1);
        assertThat(stores.attempts().byMessage("msg_1", new PageRequest(10, null, true),
                new AttemptStore.Filter(null, null, 500, null, null, null, null, null)).data()).extracting(Attempt::id).containsExactly(fail.id());

        // the retry becomes due at its time, with the attempt counted
        assertThat(stores.queue().claim("node_a", t0.plusSeconds(4), t0.plusSeconds(34), 10)).isEmpty();
        var retry = stores.queue().claim("node_a", t0.plusSeconds(5), t0.plusSeconds(35), 10);
        assertThat(retry).singleElement().satisfies(c -> assertThat(c.attempts()).isEqualTo(1));

        // failing since before the cutoff disables the endpoint
        Attempt again = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_1", "ep_1", "app_1", "u", 2, 500, "", 1, "HTTP 500", 0,
                t0.plusSeconds(6));
        assertThat(stores.queue().record(List.of(new DeliveryQueue.Outcome(again, null, DeliveryState.FAIL, false,
                t0.plusSeconds(1)))).join().disabled()).containsExactly("ep_1");
        assertThat(stores.endpoints().byId("ep_1").orElseThrow().disabled()).isTrue();
    }

    /// An attempt of msg_1 at ep_1 at `second` after t0, answered (200) or not (500), as an outcome
    /// that retries later when it failed.
    private DeliveryQueue.Outcome atEp1(long second, boolean answered) {
        Instant at = t0.plusSeconds(second);
        // its id made at its time, as the recorder makes it just after the attempt
        Attempt a = new Attempt(ids.at(Attempt.ID_PREFIX, at), "msg_1", "ep_1", "app_1", "u", answered ? 0 : 2,
                answered ? 200 : 500, "", 1, answered ? null : "HTTP 500", 0, at);
        return answered ? new DeliveryQueue.Outcome(a, null, DeliveryState.SUCCESS, false, null)
                : new DeliveryQueue.Outcome(a, at.plusSeconds(60), DeliveryState.PENDING, false, t0.minusSeconds(3600));
    }

    private Instant failingSince(DeliveryQueue.Outcome... batch) {
        stores.queue().record(List.of(batch)).join();
        return stores.endpoints().byId("ep_1").orElseThrow().failingSince();
    }

    @Test
    void anEndpointFailsSinceTheFirstFailureAfterItsLastSuccess() {
        stores.messages().publish(message("msg_1"), List.of("ep_1"), null, null);
        assertThat(failingSince(atEp1(0, false))).isEqualTo(t0);
        assertThat(failingSince(atEp1(1, true), atEp1(2, false), atEp1(3, false))).isEqualTo(t0.plusSeconds(2));
        assertThat(failingSince(atEp1(4, false))).isEqualTo(t0.plusSeconds(2));
        assertThat(failingSince(atEp1(5, false), atEp1(6, true))).isNull();
    }

    @Test
    void anOlderBatchWrittenAfterANewerOneLeavesTheHealthTheNewerSet() {
        // two batches written at once may commit in either order: here the newer one first
        stores.messages().publish(message("msg_1"), List.of("ep_1"), null, null);
        assertThat(failingSince(atEp1(0, false))).isEqualTo(t0);
        assertThat(failingSince(atEp1(2, true))).isNull();
        assertThat(failingSince(atEp1(1, false))).as("an older failure after a newer recovery").isNull();
        assertThat(failingSince(atEp1(4, false))).isEqualTo(t0.plusSeconds(4));
        assertThat(failingSince(atEp1(3, true))).as("an older success after a newer failure")
                .isEqualTo(t0.plusSeconds(4));
        // a newer success on a healthy endpoint changes nothing, so leaves no stamp: its attempt
        // still keeps an older failure from marking the endpoint failing
        assertThat(failingSince(atEp1(6, true))).isNull();
        assertThat(failingSince(atEp1(8, true))).isNull();
        assertThat(failingSince(atEp1(7, false))).as("an older failure after a newer success on a healthy endpoint")
                .isNull();
        assertThat(failingSince(atEp1(9, false))).isEqualTo(t0.plusSeconds(9));
    }

    /// Publishes `id` with ordering key `key` to both endpoints, in its key's line at ep_1 only.
    private void publishOrdered(String id, String key) {
        stores.messages().publish(message(id).withOrderingKey(key), List.of("ep_1", "ep_2"),
                java.util.Set.of("ep_1", "ep_2"), java.util.Set.of("ep_1"), "node_b", t0.plusSeconds(1000));
    }

    /// Records an attempt of `msgId` at ep_1, in the line of `key`; answers how many waiting deliveries it made due.
    private int recordOrdered(String msgId, String key, Instant retryAt, int finalStatus, boolean block) {
        boolean ok = retryAt == null && finalStatus == DeliveryState.SUCCESS;
        Attempt a = new Attempt(ids.next(Attempt.ID_PREFIX), msgId, "ep_1", "app_1", "u", ok ? 0 : 2, ok ? 200 : 500, "", 1,
                ok ? null : "HTTP 500", 0, t0);
        return stores.queue().record(List.of(new DeliveryQueue.Outcome(a, retryAt, finalStatus, false,
                t0.minus(Duration.ofDays(1)), key, block))).join().promoted();
    }

    private List<String> claimAt(long second) {
        return stores.queue().claim("node_a", t0.plusSeconds(second), t0.plusSeconds(second + 30), 10).stream()
                .map(c -> c.endpointId() + "/" + c.message().id()).toList();
    }

    @Test
    void orderedDeliveriesGoOnePerKeyInPublishOrder() {
        publishOrdered("msg_1", "k1");
        publishOrdered("msg_2", "k1");
        publishOrdered("msg_3", "k1");
        publishOrdered("msg_4", "k2");
        // only each line's head is due (the ep_2 deliveries are leased to node_b: unordered ones may be)
        var heads = stores.queue().claim("node_a", t0, t0.plusSeconds(30), 10);
        assertThat(heads).extracting(c -> c.endpointId() + "/" + c.message().id() + " in " + c.orderingKey())
                .containsExactlyInAnyOrder("ep_1/msg_1 in k1", "ep_1/msg_4 in k2");
        assertThat(stores.messages().destinations("msg_3", t0)).filteredOn(d -> d.endpoint().id().equals("ep_1"))
                .singleElement().satisfies(d -> {
                    assertThat(d.state().status()).isEqualTo(DeliveryState.PENDING);
                    assertThat(d.state().nextAttempt()).isNull();
                });
        assertThat(stores.queue().depth(t0.plusSeconds(1)).due()).isZero();
        assertThat(recordOrdered("msg_4", "k2", null, DeliveryState.SUCCESS, true)).as("k2 has no more").isZero();

        // delivered: the next of its key is due; a repeat of that outcome moves nothing more
        assertThat(recordOrdered("msg_1", "k1", null, DeliveryState.SUCCESS, true)).isEqualTo(1);
        assertThat(recordOrdered("msg_1", "k1", null, DeliveryState.SUCCESS, true)).isZero();
        assertThat(claimAt(1)).containsExactly("ep_1/msg_2");
        // a retry keeps its place at the head
        assertThat(recordOrdered("msg_2", "k1", t0.plusSeconds(5), DeliveryState.PENDING, true)).isZero();
        assertThat(claimAt(4)).isEmpty();
        assertThat(claimAt(5)).containsExactly("ep_1/msg_2");

        // failed for good under block: the key waits, even for messages published after
        assertThat(recordOrdered("msg_2", "k1", null, DeliveryState.FAIL, true)).isZero();
        publishOrdered("msg_5", "k1");
        assertThat(claimAt(60)).isEmpty();
        // a resend waiting in its line keeps its place; the blocking message's goes first
        stores.queue().resend("msg_3", "ep_1", "app_1", t0.plusSeconds(61));
        assertThat(claimAt(61)).isEmpty();
        stores.queue().resend("msg_2", "ep_1", "app_1", t0.plusSeconds(62));
        assertThat(claimAt(62)).containsExactly("ep_1/msg_2");
        assertThat(recordOrdered("msg_2", "k1", null, DeliveryState.SUCCESS, true)).isEqualTo(1);
        assertThat(claimAt(63)).containsExactly("ep_1/msg_3");

        // failed for good under skip: the key moves on
        assertThat(recordOrdered("msg_3", "k1", null, DeliveryState.FAIL, false)).isEqualTo(1);
        assertThat(claimAt(64)).containsExactly("ep_1/msg_5");

        // an endpoint that stops blocking lets its blocked keys move on
        assertThat(recordOrdered("msg_5", "k1", null, DeliveryState.FAIL, true)).isZero();
        publishOrdered("msg_6", "k1");
        assertThat(claimAt(65)).isEmpty();
        Endpoint ep1 = stores.endpoints().byId("ep_1").orElseThrow();
        stores.endpoints().update(ep1.withOrdering(io.csvx.endpoint.Ordering.SKIP));
        assertThat(stores.endpoints().byId("ep_1").orElseThrow().ordering()).isEqualTo(io.csvx.endpoint.Ordering.SKIP);
        assertThat(claimAt(66)).containsExactly("ep_1/msg_6");
    }

    @Test
    void resendAndRecoverMakeWorkDueAgain() {
        stores.messages().publish(message("msg_1"), List.of("ep_1"), null, null);
        stores.queue().claim("node_a", t0, t0.plusSeconds(30), 10);
        Attempt dead = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_1", "ep_1", "app_1", "u", 2, 500, "", 1, "x", 0, t0);
        stores.queue().record(List.of(new DeliveryQueue.Outcome(dead, null, DeliveryState.FAIL, false, t0.minusSeconds(9)))).join();
        assertThat(stores.queue().claim("node_a", t0.plusSeconds(60), t0.plusSeconds(90), 10)).isEmpty();

        BackgroundTask task = task(BackgroundTask.Kind.RECOVER, "ep_1", BackgroundTask.Params.range(t0.minusSeconds(1),
                null));
        var step = stores.tasks().step(task, "node_a", 10, m -> true, t0.plusSeconds(1), t0.plusSeconds(31));
        assertThat(step).isEqualTo(new BackgroundTask.Step("msg_1", 1, 1, true));
        assertThat(stores.tasks().find(task.id()).orElseThrow().scheduled()).isEqualTo(1);
        var recovered = stores.queue().claim("node_a", t0.plusSeconds(1), t0.plusSeconds(31), 10);
        assertThat(recovered).singleElement().satisfies(c -> assertThat(c.triggerType()).isEqualTo(1));

        stores.queue().resend("msg_1", "ep_2", "app_1", t0.plusSeconds(2));
        assertThat(stores.queue().claim("node_a", t0.plusSeconds(2), t0.plusSeconds(32), 10))
                .extracting(DeliveryQueue.Claimed::endpointId).containsExactly("ep_2");
    }

    BackgroundTask task(BackgroundTask.Kind kind, String endpointId, BackgroundTask.Params params) {
        BackgroundTask t = new BackgroundTask(ids.next("qtask_"), kind, BackgroundTask.Status.RUNNING, "app_1", endpointId,
                params, null, 0, 0, null, t0, t0);
        stores.tasks().insert(t, "node_a", t0.plusSeconds(30));
        return t;
    }

    @Test
    void backgroundTasksWorkInBatchesFromTheirCursorUnderTheirLease() {
        for (int i = 1; i <= 5; i++) {
            stores.messages().publish(new Message("msg_" + i, "app_1", i % 2 == 0 ? "even" : "odd", null,
                    i == 3 ? List.of("eu") : null, List.of("t" + i), "{}", t0.plusMillis(i), t0.plusSeconds(60), null),
                    i <= 2 ? List.of("ep_1") : List.of(), null, null);
        }
        // replay-missing: the messages ep_1 never had, as far as its filter (here: odd) takes them
        BackgroundTask missing = task(BackgroundTask.Kind.REPLAY_MISSING, "ep_1", BackgroundTask.Params.range(t0, null));
        var first = stores.tasks().step(missing, "node_a", 2, m -> m.eventType().equals("odd"), t0, t0.plusSeconds(30));
        assertThat(first).isEqualTo(new BackgroundTask.Step("msg_2", 2, 0, false));
        // another node cannot take a step under this lease, and changes nothing by trying
        assertThatThrownBy(() -> stores.tasks().step(missing, "node_b", 2, m -> true, t0, t0.plusSeconds(30)))
                .isInstanceOf(StoreException.class);
        BackgroundTask resumed = stores.tasks().find(missing.id()).orElseThrow();
        assertThat(resumed.cursor()).isEqualTo("msg_2");
        var second = stores.tasks().step(resumed, "node_a", 2, m -> m.eventType().equals("odd"), t0, t0.plusSeconds(30));
        assertThat(second).isEqualTo(new BackgroundTask.Step("msg_4", 2, 1, false));
        var third = stores.tasks().step(stores.tasks().find(missing.id()).orElseThrow(), "node_a", 2,
                m -> m.eventType().equals("odd"), t0, t0.plusSeconds(30));
        assertThat(third).isEqualTo(new BackgroundTask.Step("msg_5", 1, 1, true));
        assertThat(stores.queue().claim("node_a", t0.plusSeconds(1), t0.plusSeconds(31), 10))
                .extracting(c -> c.message().id()).containsExactlyInAnyOrder("msg_1", "msg_2", "msg_3", "msg_5");
        stores.tasks().finish(missing.id(), BackgroundTask.Status.FINISHED, null, t0.plusSeconds(1));
        assertThat(stores.tasks().find(missing.id()).orElseThrow())
                .extracting(BackgroundTask::status, BackgroundTask::scanned, BackgroundTask::scheduled)
                .containsExactly(BackgroundTask.Status.FINISHED, 5L, 2L);

        // bulk replay of what ep_1 had, by tag: only msg_3
        BackgroundTask bulk = task(BackgroundTask.Kind.BULK_REPLAY, "ep_1",
                new BackgroundTask.Params(t0, null, null, null, "t3", null, null));
        assertThat(stores.tasks().step(bulk, "node_a", 10, m -> true, t0, t0.plusSeconds(30)))
                .isEqualTo(new BackgroundTask.Step("msg_3", 1, 1, true));
        assertThat(stores.tasks().list(new PageRequest(10, null, true), BackgroundTask.Status.RUNNING,
                BackgroundTask.Kind.BULK_REPLAY).data()).extracting(BackgroundTask::id).containsExactly(bulk.id());

        // a running task whose lease ran out goes to the node that asks
        assertThat(stores.tasks().claimStale("node_b", t0.plusSeconds(10), t0.plusSeconds(40), 10)).isEmpty();
        assertThat(stores.tasks().claimStale("node_b", t0.plusSeconds(31), t0.plusSeconds(61), 10))
                .extracting(BackgroundTask::id).containsExactly(bulk.id());
        assertThat(stores.tasks().step(bulk, "node_b", 10, m -> true, t0, t0.plusSeconds(60)).done()).isTrue();
    }

    @Test
    void channelAndTagFiltersMatchNamesExactly() {
        stores.messages().publish(new Message("msg_1", "app_1", "a", null, List.of("eu_west"), List.of("vip_1"), "{}",
                t0, t0.plusSeconds(60), null), List.of(), null, null);
        stores.messages().publish(new Message("msg_2", "app_1", "a", null, List.of("euXwest"), List.of("vipX1"), "{}",
                t0, t0.plusSeconds(60), null), List.of(), null, null);
        var page = new PageRequest(10, null, false);
        assertThat(stores.messages().list("app_1", page, new MessageStore.Filter(List.of("eu_west"), null, null, null,
                null)).data()).extracting(Message::id).containsExactly("msg_1");
        assertThat(stores.messages().list("app_1", page, new MessageStore.Filter(null, "vip_1", null, null, null))
                .data()).extracting(Message::id).containsExactly("msg_1");
        assertThat(stores.messages().list("app_1", page, new MessageStore.Filter(List.of("nowhere", "euXwest"), null,
                null, null, null)).data()).extracting(Message::id).containsExactly("msg_2");
    }

    @Test
    void uniqueValuesConflict() {
        assertThatThrownBy(() -> stores.apps().create(new Application("app_2", "acme", "Other", null, "{}", t0, t0)))
                .isInstanceOf(StoreException.Conflict.class);
        Message withEvent = new Message("msg_9", "app_1", "a", "evt-1", null, "{}", t0, t0);
        stores.messages().publish(withEvent, List.of(), null, null);
        assertThatThrownBy(() -> stores.messages().publish(new Message("msg_10", "app_1", "a", "evt-1", null, "{}", t0, t0),
                List.of("ep_1"), null, null)).isInstanceOf(StoreException.Conflict.class);
        // the failed publish left nothing behind
        assertThat(stores.messages().find("app_1", "msg_10")).isEmpty();
        assertThat(stores.queue().claim("n", t0, t0.plusSeconds(1), 10)).isEmpty();
    }

    @Test
    void brandingIsKeptPerOwnerReplacedWholeAndGoesWithItsApplication() {
        assertThat(stores.apps().branding("app_1")).isEmpty();
        stores.apps().setBranding(io.csvx.tenant.AppStore.GLOBAL, new io.csvx.tenant.Branding("Ops", "#0b57d0", null), t0);
        stores.apps().setBranding("app_1", new io.csvx.tenant.Branding("Acme", null, "data:image/png;base64,AA=="), t0);
        assertThat(stores.apps().branding("app_1")).contains(
                new io.csvx.tenant.Branding("Acme", null, "data:image/png;base64,AA=="));
        stores.apps().setBranding("app_1", new io.csvx.tenant.Branding(null, "#123456", null), t0);
        assertThat(stores.apps().branding("app_1")).contains(new io.csvx.tenant.Branding(null, "#123456", null));
        stores.apps().setBranding("app_1", io.csvx.tenant.Branding.NONE, t0);
        assertThat(stores.apps().branding("app_1")).isEmpty();
        stores.apps().setBranding("app_1", new io.csvx.tenant.Branding("Acme", null, null), t0);
        assertThat(stores.apps().delete("app_1", t0)).isTrue();
        assertThat(stores.apps().branding("app_1")).isEmpty();
        assertThat(stores.apps().branding(io.csvx.tenant.AppStore.GLOBAL))
                .contains(new io.csvx.tenant.Branding("Ops", "#0b57d0", null));
    }

    @Test
    void aDeletedApplicationIsGoneAtOnceAndItsRowsGoInBatches() throws Exception {
        for (int i = 0; i < 5; i++) {
            stores.messages().publish(message("msg_" + i), List.of("ep_1", "ep_2"), null, null);
        }
        stores.queue().claim("node_a", t0, t0.plusSeconds(30), 10);
        Attempt ok = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_0", "ep_1", "app_1", "u", 0, 200, "ok", 2, null, 0, t0);
        stores.queue().record(List.of(new DeliveryQueue.Outcome(ok, null, DeliveryState.SUCCESS, false, null))).join();
        createSource();
        for (int i = 0; i < 3; i++) {
            stores.sources().record(new InboundRequest(ids.next("in_"), "src_1", "app_1", Map.of(), "x", false, null, 1,
                    false, InboundRequest.Status.REJECTED, "bad", null, null, null, t0));
        }
        stores.appTokens().create(new io.csvx.tenant.AppToken("tok_1", "app_1", java.util.Set.of(), null,
                t0.plusSeconds(600), null, t0), "hash_1");
        stores.apps().setBranding("app_1", new io.csvx.tenant.Branding("Acme", null, null), t0);
        stores.apps().create(new Application("app_2", "globex", "Globex", null, "{}", t0, t0));
        stores.messages().publish(new Message("msg_g", "app_2", "a", null, null, "{}", t0, t0.plusSeconds(60)), List.of(),
                null, null);

        assertThat(stores.apps().delete("app_1", t0.plusSeconds(40))).isTrue();
        assertThat(stores.apps().delete("app_1", t0.plusSeconds(41))).isFalse(); // once
        // gone for every lookup at once, its uid free, nothing acting for it any more
        assertThat(stores.apps().find("app_1")).isEmpty();
        assertThat(stores.apps().find("acme")).isEmpty();
        assertThat(stores.apps().list(new PageRequest(10, null, false), java.util.Set.of()).data())
                .extracting(Application::id).containsExactly("app_2");
        stores.apps().create(new Application("app_3", "acme", "Acme again", null, "{}", t0, t0));
        assertThat(stores.apps().find("acme")).get().extracting(Application::id).isEqualTo("app_3");
        assertThat(stores.sources().find("src_1")).isEmpty();
        assertThat(stores.appTokens().byHash("hash_1")).isEmpty();
        assertThat(stores.apps().branding("app_1")).isEmpty();
        assertThat(stores.endpoints().byId("ep_1").orElseThrow().disabled()).isTrue();
        // its 9 waiting deliveries, their leases long expired, are claimed by nobody
        assertThat(stores.queue().claim("node_b", t0.plusSeconds(100), t0.plusSeconds(130), 10)).isEmpty();
        assertThat(stores.apps().deleted()).containsExactly("app_1");

        // then its rows, a few at a time: the messages with what hangs on them, the requests, the rest
        assertThat(rows("message", "app_id = 'app_1'")).isEqualTo(5);
        assertThat(stores.apps().purge("app_1", 2)).isEqualTo(2);
        assertThat(rows("message", "app_id = 'app_1'")).isEqualTo(3);
        assertThat(stores.apps().purge("app_1", 2)).isEqualTo(2);
        assertThat(stores.apps().purge("app_1", 2)).isEqualTo(1);
        assertThat(rows("attempt", "app_id = 'app_1'") + rows("delivery", "app_id = 'app_1'")
                + rows("delivery_done", "app_id = 'app_1'")).isZero();
        assertThat(stores.apps().purge("app_1", 2)).isEqualTo(2);
        assertThat(stores.apps().purge("app_1", 2)).isEqualTo(1);
        assertThat(stores.apps().deleted()).containsExactly("app_1");
        assertThat(stores.apps().purge("app_1", 2)).isZero();
        assertThat(stores.apps().deleted()).isEmpty();
        for (String table : List.of("application", "endpoint", "source", "inbound_request")) {
            assertThat(rows(table, table.equals("application") ? "id = 'app_1'" : "app_id = 'app_1'")).as(table).isZero();
        }
        assertThat(rows("endpoint_secret", "endpoint_id IN ('ep_1', 'ep_2')")).isZero();
        // the other applications are untouched, and removing what is gone finds nothing
        assertThat(stores.messages().find("app_2", "msg_g")).isPresent();
        assertThat(stores.apps().find("acme")).isPresent();
        assertThat(stores.apps().purge("app_1", 2)).isZero();
    }

    private long rows(String table, String where) {
        return stores.db().read(c -> Tables.count(c, table, where));
    }

    @Test
    void nodeReadingsAreKeptByNodeAndPruned() {
        var readings = stores.readings();
        for (int i = 0; i < 3; i++) {
            readings.record(new io.csvx.delivery.QueueGauges.Reading("node_b", t0.plusSeconds(5L * i), i, 0, 0, i, 10L * i,
                    2, 100, 1, 0));
            readings.record(new io.csvx.delivery.QueueGauges.Reading("node_a", t0.plusSeconds(5L * i), 10 + i, 1, 2, 3,
                    4, 5, 6, 7, 8));
        }
        assertThat(readings.since(t0.plusSeconds(5))).extracting(r -> r.node() + "@" + (r.at().getEpochSecond()
                - t0.getEpochSecond())).containsExactly("node_a@5", "node_a@10", "node_b@5", "node_b@10");
        assertThat(readings.since(t0).getFirst()).isEqualTo(new io.csvx.delivery.QueueGauges.Reading("node_a", t0, 10, 1,
                2, 3, 4, 5, 6, 7, 8));
        assertThat(readings.prune(t0.plusSeconds(10))).isEqualTo(4);
        assertThat(readings.since(t0)).hasSize(2);
    }

    @Test
    void failingEndpointsOfEveryApplicationLongestFirst() {
        assertThat(stores.endpoints().failing(10)).isEmpty();
        stores.apps().create(new Application("app_2", "globex", "Globex", null, "{}", t0, t0));
        stores.endpoints().create(new Endpoint("ep_3", "app_2", null, "http://127.0.0.1:9/b", "", false, null, null, null,
                "{}", Map.of(), null, t0, t0, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        failingSince("ep_3", t0);
        failingSince("ep_1", t0.plusSeconds(5));
        assertThat(stores.endpoints().failing(10)).extracting(Endpoint::id).containsExactly("ep_3", "ep_1");
        assertThat(stores.endpoints().failing(1)).extracting(Endpoint::id).containsExactly("ep_3");
    }

    private void failingSince(String id, Instant since) {
        Endpoint e = stores.endpoints().byId(id).orElseThrow();
        stores.endpoints().update(new Endpoint(e.id(), e.appId(), e.uid(), e.url(), e.description(), e.disabled(),
                e.eventTypes(), e.channels(), e.throttleRate(), e.metadata(), e.headers(), since, e.createdAt(), t0,
                e.format()));
    }

    @Test
    void dataSurvivesReopening() {
        stores.messages().publish(message("msg_1"), List.of("ep_1"), null, null);
        stores.close();
        stores = open(dir);
        assertThat(stores.messages().find("app_1", "msg_1")).isPresent();
        assertThat(stores.queue().claim("n", t0, t0.plusSeconds(1), 10)).hasSize(1);
    }

    @Test
    void secretsRotateWithGrace() {
        stores.endpoints().rotateSecret("ep_1", "whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3", t0, Duration.ofSeconds(60));
        assertThat(stores.endpoints().secrets("ep_1", t0.plusSeconds(1)))
                .containsExactly("whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(stores.endpoints().secrets("ep_1", t0.plusSeconds(61)))
                .containsExactly("whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3");
    }

    @Test
    void payloadsPastRetentionAreExpunged() {
        stores.messages().publish(new Message("msg_old", "app_1", "a", null, null, "{\"secret\":1}", t0, t0.plusSeconds(10)),
                List.of(), null, null);
        stores.messages().publish(message("msg_new"), List.of(), null, null);
        // a pass goes a range of ids a batch: msg_new sorts first and has not expired
        Instant now = t0.plusSeconds(11);
        assertThat(stores.messages().expungeExpired(now, t0.minusSeconds(1), "", 1))
                .isEqualTo(new MessageStore.Expunged(1, 0, "msg_new"));
        assertThat(stores.messages().expungeExpired(now, t0.minusSeconds(1), "msg_new", 1))
                .isEqualTo(new MessageStore.Expunged(1, 1, "msg_old"));
        assertThat(stores.messages().expungeExpired(now, t0.minusSeconds(1), "msg_old", 1))
                .isEqualTo(new MessageStore.Expunged(0, 0, "msg_old"));
        assertThat(stores.messages().find("app_1", "msg_old").orElseThrow().payload()).isEqualTo("{}");
        assertThat(stores.messages().find("app_1", "msg_new").orElseThrow().payload()).isEqualTo("{\"id\":\"msg_new\"}");
        // the node's retention caps every message's own; an expunged payload is not counted again
        assertThat(stores.messages().expungeExpired(now, t0.plusSeconds(1), "", 10))
                .isEqualTo(new MessageStore.Expunged(2, 1, "msg_old"));
        assertThat(stores.messages().find("app_1", "msg_new").orElseThrow().payload()).isEqualTo("{}");
    }

    /// A reservation nobody touched since `staleBefore` is taken over; a touched or answered one is not.
    @Test
    void anIdempotencyKeyLeftReservedIsTakenOverOnceUntouched() {
        var keys = stores.idempotency();
        assertThat(keys.reserve("app_1:left", t0, Instant.EPOCH)).isEmpty();
        assertThat(keys.reserve("app_1:alive", t0, Instant.EPOCH)).isEmpty();
        keys.touch("app_1:alive", t0.plusSeconds(30));
        assertThat(keys.reserve("app_1:done", t0, Instant.EPOCH)).isEmpty();
        keys.complete("app_1:done", 201, "{\"id\":1}");

        Instant later = t0.plusSeconds(40);
        Instant staleBefore = t0.plusSeconds(20);
        assertThat(keys.reserve("app_1:left", later, staleBefore)).isEmpty(); // taken over
        assertThat(keys.reserve("app_1:left", later, staleBefore)).contains(new IdempotencyStore.Stored(0, null));
        assertThat(keys.reserve("app_1:alive", later, staleBefore)).contains(new IdempotencyStore.Stored(0, null));
        assertThat(keys.reserve("app_1:done", later, staleBefore))
                .contains(new IdempotencyStore.Stored(201, "{\"id\":1}"));
        keys.touch("app_1:done", later.plusSeconds(100)); // an answer is never touched again
        assertThat(keys.purge(t0.plusSeconds(1), 10)).isEqualTo(1); // the answer, kept from t0
    }

    @Test
    void idempotencyKeysRequestsClaimsAndTokensGoByAgeABatchAtATime() throws Exception {
        Instant never = Instant.EPOCH; // no reservation counts as abandoned
        stores.idempotency().reserve("app_1:a", t0, never);
        stores.idempotency().reserve("app_1:b", t0, never);
        stores.idempotency().reserve("app_1:c", t0.plusSeconds(5), never);
        assertThat(stores.idempotency().purge(t0.plusSeconds(1), 1)).isEqualTo(1);
        assertThat(stores.idempotency().purge(t0.plusSeconds(1), 1)).isEqualTo(1);
        assertThat(stores.idempotency().purge(t0.plusSeconds(1), 1)).isZero();
        assertThat(stores.idempotency().reserve("app_1:a", t0.plusSeconds(6), never)).isEmpty(); // gone: free again
        assertThat(stores.idempotency().reserve("app_1:c", t0.plusSeconds(6), never)).isPresent(); // kept

        // expired portal tokens and console sessions, a batch of each at a time
        for (int i = 0; i < 3; i++) {
            Instant expires = t0.plusSeconds(i == 2 ? 5 : 0);
            stores.appTokens().create(new io.csvx.tenant.AppToken("tok_" + i, "app_1", java.util.Set.of(), null,
                    expires, null, t0), "hash_" + i);
            stores.appTokens().openConsole("console_" + i, expires, t0);
        }
        assertThat(stores.appTokens().purge(t0.plusSeconds(1), 1)).isEqualTo(2);
        assertThat(stores.appTokens().purge(t0.plusSeconds(1), 1)).isEqualTo(2);
        assertThat(stores.appTokens().purge(t0.plusSeconds(1), 1)).isZero();
        assertThat(stores.appTokens().byHash("hash_0")).isEmpty();
        assertThat(stores.appTokens().byHash("hash_2")).isPresent();
        assertThat(stores.appTokens().consoleExpiry("console_1")).isEmpty();
        assertThat(stores.appTokens().consoleExpiry("console_2")).contains(t0.plusSeconds(5));

        createSource();
        for (int i = 0; i < 3; i++) {
            Instant at = t0.plusSeconds(i == 2 ? 5 : 0);
            String id = ids.next("in_");
            stores.sources().record(new InboundRequest(id, "src_1", "app_1", Map.of(), "x", false, null, 1, false,
                    InboundRequest.Status.PROCESSED, null, "k" + i, null, null, at));
            assertThat(stores.sources().claim("src_1", "k" + i, id, at, at.minusSeconds(60), at.minusSeconds(30))).isTrue();
        }
        // a claim and a request a batch of one, the newest of each kept
        assertThat(stores.sources().purge(t0.plusSeconds(1), 1)).isEqualTo(2);
        assertThat(stores.sources().purge(t0.plusSeconds(1), 1)).isEqualTo(2);
        assertThat(stores.sources().purge(t0.plusSeconds(1), 1)).isZero();
        assertThat(stores.sources().requests("src_1", new PageRequest(10, null, false)).data())
                .extracting(InboundRequest::dedupKey).containsExactly("k2");
        // the kept claim still deduplicates; the purged ones do not
        assertThat(stores.sources().claim("src_1", "k2", "in_x", t0.plusSeconds(6), t0.minusSeconds(60),
                t0.minusSeconds(30))).isFalse();
        assertThat(stores.sources().claim("src_1", "k0", "in_y", t0.plusSeconds(6), t0.minusSeconds(60),
                t0.minusSeconds(30))).isTrue();
    }

    @Test
    void finishedDeliveriesLeaveTheQueueAndRetentionRemovesThemAndTheirAttempts() {
        stores.messages().publish(message("msg_1"), List.of("ep_1", "ep_2"), null, null);
        stores.queue().claim("node_a", t0, t0.plusSeconds(30), 10);
        Attempt ok = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_1", "ep_1", "app_1", "u", 0, 200, "", 1, null, 0, t0);
        stores.queue().record(List.of(new DeliveryQueue.Outcome(ok, null, DeliveryState.SUCCESS, false, t0))).join();
        // only the pending delivery is left in the queue; the API still sees both
        long queued = stores.db().read(c -> Tables.count(c, "delivery"));
        assertThat(queued).isEqualTo(1);
        assertThat(stores.messages().destinations("msg_1", t0)).extracting(d -> d.state().status())
                .containsExactlyInAnyOrder(DeliveryState.SUCCESS, DeliveryState.SENDING); // ep_2 is claimed
        assertThat(stores.endpoints().stats("ep_1", t0).success()).isEqualTo(1);
        assertThat(stores.queue().purgeFinished(t0.minusSeconds(1), 10)).isZero();
        assertThat(stores.queue().purgeFinished(t0.plusSeconds(1), 10)).isEqualTo(1);
        assertThat(stores.attempts().purge(t0.plusSeconds(1), 10)).isEqualTo(1);
        assertThat(stores.messages().destinations("msg_1", t0)).hasSize(1);

        // a batch at a time: no more than asked, the rest at the next
        for (int i = 2; i <= 4; i++) {
            stores.messages().publish(message("msg_" + i), List.of("ep_1"), null, null);
            Attempt a = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_" + i, "ep_1", "app_1", "u", 0, 200, "", 1, null, 0, t0);
            stores.queue().record(List.of(new DeliveryQueue.Outcome(a, null, DeliveryState.SUCCESS, false, t0))).join();
        }
        assertThat(stores.queue().purgeFinished(t0.plusSeconds(1), 2)).isEqualTo(2);
        assertThat(stores.queue().purgeFinished(t0.plusSeconds(1), 2)).isEqualTo(1);
        assertThat(stores.queue().purgeFinished(t0.plusSeconds(1), 2)).isZero();
        assertThat(stores.attempts().purge(t0.plusSeconds(1), 2)).isEqualTo(2);
        assertThat(stores.attempts().purge(t0.plusSeconds(1), 2)).isEqualTo(1);
        assertThat(stores.attempts().purge(t0.plusSeconds(1), 2)).isZero();
    }

    @Test
    void claimsTakeTurnsBetweenEndpointsAndSkipTheFullOnes() {
        for (int i = 0; i < 6; i++) { // ep_1's backlog is older
            stores.messages().publish(new Message("msg_a" + i, "app_1", "a", null, null, "{}", t0.plusMillis(i),
                    t0.plusSeconds(90)), List.of("ep_1"), null, null);
        }
        for (int i = 0; i < 2; i++) {
            stores.messages().publish(new Message("msg_b" + i, "app_1", "a", null, null, "{}", t0.plusMillis(10 + i),
                    t0.plusSeconds(90)), List.of("ep_2"), null, null);
        }
        Instant now = t0.plusSeconds(1);
        // at most two of one endpoint: ep_2 gets its turn although ep_1's rows are older
        assertThat(stores.queue().claim("node_a", now, now.plusSeconds(30), 4, 2, List.of()))
                .extracting(c -> c.endpointId() + "/" + c.message().id())
                .containsExactlyInAnyOrder("ep_1/msg_a0", "ep_1/msg_a1", "ep_2/msg_b0", "ep_2/msg_b1");
        // a full endpoint sits a claim out
        assertThat(stores.queue().claim("node_a", now, now.plusSeconds(30), 10, 10, List.of("ep_1"))).isEmpty();
        assertThat(stores.queue().claim("node_a", now, now.plusSeconds(30), 10, 3, List.of("ep_2")))
                .extracting(c -> c.message().id()).containsExactly("msg_a2", "msg_a3", "msg_a4");
        // leased at publish for one endpoint only: the other's delivery is due at once
        stores.messages().publish(message("msg_c"), List.of("ep_1", "ep_2"), java.util.Set.of("ep_2"), "node_b",
                now.plusSeconds(30));
        assertThat(stores.queue().claim("node_a", now, now.plusSeconds(30), 10, 10, List.of()))
                .extracting(c -> c.endpointId() + "/" + c.message().id())
                .containsExactlyInAnyOrder("ep_1/msg_a5", "ep_1/msg_c");
    }

    @Test
    void anEndpointWhoseWorkIsNewerThanAnothersWholeBacklogStillGetsItsTurn() {
        for (int i = 0; i < 100; i++) { // ep_1's backlog: far more than a claim looks at by age
            stores.messages().publish(new Message("msg_a" + String.format("%03d", i), "app_1", "a", null, null, "{}",
                    t0.plusMillis(i), t0.plusSeconds(90)), List.of("ep_1"), null, null);
        }
        stores.messages().publish(new Message("msg_b", "app_1", "a", null, null, "{}", t0.plusMillis(500),
                t0.plusSeconds(90)), List.of("ep_2"), null, null);
        Instant now = t0.plusSeconds(1);
        assertThat(stores.queue().claim("node_a", now, now.plusSeconds(30), 2, 2, List.of()))
                .extracting(c -> c.endpointId() + "/" + c.message().id())
                .containsExactlyInAnyOrder("ep_1/msg_a000", "ep_2/msg_b");
        // the sweep goes round: endpoints take turns claim after claim, one of each here
        for (int claim = 0; claim < 3; claim++) {
            stores.messages().publish(new Message("msg_b" + claim, "app_1", "a", null, null, "{}",
                    t0.plusMillis(600 + claim), t0.plusSeconds(90)), List.of("ep_2"), null, null);
            assertThat(stores.queue().claim("node_a", now, now.plusSeconds(30), 2, 2, List.of()))
                    .extracting(DeliveryQueue.Claimed::endpointId).containsExactlyInAnyOrder("ep_1", "ep_2");
        }
    }

    @Test
    void aSweepThatMeetsOnlyEndpointsWithNothingDueLeavesTheClaimToTheOldestDueRows() {
        createEndpoint("ep_3");
        Instant now = t0.plusSeconds(1);
        // ep_1 and ep_2 come first in the sweep's order, with work leased elsewhere; ep_3's is due
        stores.messages().publish(message("msg_held"), List.of("ep_1", "ep_2"), "node_b", now.plusSeconds(30));
        stores.messages().publish(message("msg_due"), List.of("ep_3"), null, null);
        assertThat(stores.queue().claim("node_a", now, now.plusSeconds(30), 2, 2, List.of()))
                .extracting(c -> c.endpointId() + "/" + c.message().id()).containsExactly("ep_3/msg_due");
    }

    @Test
    void theConsolesListsOfDeliveriesAcrossApplications() {
        for (String id : List.of("msg_1", "msg_2", "msg_3")) {
            stores.messages().publish(message(id), List.of("ep_1"), null, null);
        }
        stores.queue().claim("node_a", t0, t0.plusSeconds(30), 2); // msg_1 and msg_2
        Attempt ok = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_1", "ep_1", "app_1", "u", 0, 200, "", 1, null, 0, t0);
        Attempt failed = new Attempt(ids.next(Attempt.ID_PREFIX), "msg_2", "ep_1", "app_1", "u", 2, 500, "", 1, null, 0, t0);
        stores.queue().record(List.of(new DeliveryQueue.Outcome(ok, null, DeliveryState.SUCCESS, false, t0),
                new DeliveryQueue.Outcome(failed, t0.plusSeconds(60), 0, false, t0))).join();
        var due = stores.queue().list(DeliveryQueue.Listing.DUE, t0.plusSeconds(1), 10);
        assertThat(due).extracting(DeliveryQueue.Row::msgId).containsExactly("msg_3");
        assertThat(due.getFirst().appId()).isEqualTo("app_1");
        assertThat(stores.queue().list(DeliveryQueue.Listing.RETRYING, t0, 10)).singleElement().satisfies(r -> {
            assertThat(r.msgId()).isEqualTo("msg_2");
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.at()).isEqualTo(t0.plusSeconds(60));
        });
        assertThat(stores.queue().list(DeliveryQueue.Listing.DELIVERED, t0, 10)).extracting(DeliveryQueue.Row::msgId)
                .containsExactly("msg_1");
        assertThat(stores.queue().list(DeliveryQueue.Listing.FAILED, t0, 10)).isEmpty();
    }

    @Test
    void deduplicationClaimsAndTheRejectedRequestLogAreBounded() throws Exception {
        createSource();
        // the first claim wins; a second within the window does not; after the window it may
        assertThat(stores.sources().claim("src_1", "k", "in_1", t0, t0.minusSeconds(60), t0.minusSeconds(30))).isTrue();
        assertThat(stores.sources().claim("src_1", "k", "in_2", t0.plusSeconds(1), t0.minusSeconds(59),
                t0.minusSeconds(29))).isFalse();
        assertThat(stores.sources().claim("src_1", "k", "in_3", t0.plusSeconds(120), t0.plusSeconds(60),
                t0.plusSeconds(90))).isTrue();
        stores.sources().release("src_1", "k", "in_3");
        assertThat(stores.sources().claim("src_1", "k", "in_4", t0.plusSeconds(121), t0.plusSeconds(61),
                t0.plusSeconds(91))).isTrue();

        List<String> rejected = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rejected.add(ids.next("in_"));
            stores.sources().record(new InboundRequest(rejected.getLast(), "src_1", "app_1", Map.of(), "x", false,
                    null, 1, false, InboundRequest.Status.REJECTED, "bad", null, null, null, t0));
            if (i == 0) { // an accepted request among them, which the trimming leaves alone
                stores.sources().record(new InboundRequest(ids.next("in_"), "src_1", "app_1", Map.of(), "{}", false,
                        null, 2, true, InboundRequest.Status.PROCESSED, null, null, null, null, t0));
            }
        }
        // a batch at a time, the oldest first, down to the newest two
        assertThat(stores.sources().pruneRejected(2, 2)).isEqualTo(2);
        assertThat(stores.sources().pruneRejected(2, 2)).isEqualTo(1);
        assertThat(stores.sources().pruneRejected(2, 2)).isZero();
        assertThat(stores.sources().requests("src_1", new PageRequest(10, null, false)).data())
                .extracting(r -> r.status() + (r.status() == InboundRequest.Status.REJECTED ? " " + r.id() : ""))
                .containsExactlyInAnyOrder("REJECTED " + rejected.get(3), "REJECTED " + rejected.get(4), "PROCESSED");
    }

    @Test
    void aKeyRotationSealsEverySecretAgainUnderTheNewKey() {
        byte[] next = new byte[32];
        next[0] = 42;
        Sealer newSealer = new Sealer(next, new SecureRandom());
        assertThat(JdbcStores.rotateKey(stores.db(), Sealer.rotating(TestKeys.sealerKey(), next, new SecureRandom())))
                .isGreaterThanOrEqualTo(2);
        Stores rotated = JdbcStores.create(stores.db(), newSealer);
        assertThat(rotated.endpoints().secrets("ep_1", t0)).containsExactly("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThatThrownBy(() -> JdbcStores.create(stores.db(), TestKeys.sealer()))
                .isInstanceOf(StoreException.Unusable.class);
    }

    private Dataset dataset(String id) {
        Dataset d = new Dataset(id, "app_1", null, "orders", List.of("order_id"), Glob.of("orders-*.csv"), null, Notify.DEFAULT,
                "csv", t0, t0);
        return stores.datasets().create(d);
    }

    @Test
    void aDatasetsVersionsNumberInArrivalOrderEachFileOnce() throws Exception {
        dataset("ds_1");
        DatasetStore ds = stores.datasets();
        assertThat(ds.addVersion("ds_1", "file_a", 10, t0)).map(DatasetVersion::version).contains(1);
        assertThat(ds.addVersion("ds_1", "file_b", 12, t0)).map(DatasetVersion::version).contains(2);
        assertThat(ds.addVersion("ds_1", "file_a", 10, t0)).isEmpty(); // announced again
        assertThat(ds.version("ds_1", 2)).map(DatasetVersion::fileId).contains("file_b");
        var first = ds.versions("ds_1", new PageRequest(1, null, false));
        assertThat(first.data()).extracting(DatasetVersion::version).containsExactly(1);
        assertThat(ds.versions("ds_1", new PageRequest(5, first.iterator(), false)).data())
                .extracting(DatasetVersion::version).containsExactly(2);
        assertThat(ds.versions("ds_1", new PageRequest(5, null, true)).data())
                .extracting(DatasetVersion::version).containsExactly(2, 1);
        // many arriving at once each get their own number (on PostgreSQL, a retry on conflict lost
        // some of 48 adds from 12 threads every run; the dataset row is locked now)
        List<java.util.concurrent.Future<java.util.Optional<DatasetVersion>>> adds = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < 48; i++) {
                String file = "file_c" + i;
                adds.add(pool.submit(() -> ds.addVersion("ds_1", file, 1, t0)));
            }
        }
        for (var add : adds) {
            assertThat(add.get()).isPresent(); // none refused
        }
        assertThat(ds.versions("ds_1", new PageRequest(50, null, false)).data())
                .extracting(DatasetVersion::version).containsExactlyElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList());
    }

    @Test
    void aDiffIsRecordedOncePerJobAndGoesWithItsDataset() {
        dataset("ds_1");
        DatasetStore ds = stores.datasets();
        DatasetDiff failed = new DatasetDiff("job_1", "ds_1", 1, 2, DatasetDiff.Status.FAILED, null, null, false, null,
                "version 2: line 3: key 7 is on two rows", t0);
        DatasetDiff done = new DatasetDiff("job_2", "ds_1", 1, 2, DatasetDiff.Status.COMPLETED, "{\"added\":1}", "file_d",
                true, "changedRows >= 1", null, t0);
        assertThat(ds.recordDiff(failed)).isTrue();
        assertThat(ds.recordDiff(done)).isTrue();
        assertThat(ds.recordDiff(new DatasetDiff("job_2", "ds_1", 1, 2, DatasetDiff.Status.FAILED, null, null, false,
                null, "again", t0))).isFalse();
        assertThat(ds.diff("ds_1", 1, 2)).contains(done);
        assertThat(ds.diff("ds_1", 2, 3)).isEmpty();
        assertThat(ds.diffs("ds_1", new PageRequest(10, null, true)).data()).containsExactly(done, failed);
        assertThat(ds.latestDiffs("app_1")).isEqualTo(Map.of("ds_1", done));
        assertThat(ds.find("app_1", "ds_1")).map(Dataset::notifyRule).map(Notify::toJson).contains(Notify.DEFAULT.toJson());

        ds.addVersion("ds_1", "file_a", 1, t0);
        assertThat(ds.delete("app_1", "ds_1")).isTrue();
        assertThat(ds.diffs("ds_1", new PageRequest(10, null, true)).data()).isEmpty();
        assertThat(ds.latestDiffs("app_1")).isEmpty();
        assertThat(ds.version("ds_1", 1)).isEmpty();
        assertThat(ds.delete("app_1", "ds_1")).isFalse();
    }
}
