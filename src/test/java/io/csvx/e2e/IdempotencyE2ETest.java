package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.http.IdempotencyStore;
import io.csvx.store.Db;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.postgres.PostgresDb;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// A key reserved by a request that has not answered yet (still running, failed, or left behind
/// by a node that stopped mid-request), as a retrying SDK meets it. The reservation is made
/// through the node's own database, beside the running node, as another request would have.
class IdempotencyE2ETest {
    private static final String EP = "/api/v1/app/acme/endpoint";
    private static final String BODY = "{\"url\":\"http://127.0.0.1:9/hook\"}";

    @TempDir
    Path dir;

    TestNode node;
    Stores beside;
    final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() {
        node = TestNode.start(dir);
        node.api.app("acme");
        Db db = node.config.database() == null ? SqliteDb.open(dir) : PostgresDb.open(node.config.database(), 2);
        beside = JdbcStores.create(db, TestKeys.sealer());
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        beside.close();
        node.close();
    }

    /// What a request with `key` to the endpoint route is kept under.
    private static String scope(String key) {
        return "POST " + EP + " " + key;
    }

    /// Reserves `key` as a first request would, then sends a repeat, still waiting 300 ms later.
    private CompletableFuture<Api.Resp> repeatWhileReserved(String key) throws InterruptedException {
        assertThat(beside.idempotency().reserve(scope(key), Instant.now(), Instant.EPOCH)).isEmpty();
        CompletableFuture<Api.Resp> repeat = CompletableFuture.supplyAsync(
                () -> node.api.post(EP, BODY, Map.of("idempotency-key", key)), clients);
        Thread.sleep(300);
        assertThat(repeat).isNotDone(); // waiting, not refused
        return repeat;
    }

    @Test
    void aRepeatWhileTheFirstRunsGetsTheFirstsAnswer() throws Exception {
        CompletableFuture<Api.Resp> repeat = repeatWhileReserved("k-1");
        beside.idempotency().complete(scope("k-1"), 201, "{\"id\":\"ep_first\"}");
        Api.Resp r = repeat.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.str("id")).isEqualTo("ep_first");
        assertThat(node.api.get(EP).body().path("data")).isEmpty(); // the repeat created nothing
    }

    @Test
    void aRepeatRunsItselfWhenTheFirstFailed() throws Exception {
        CompletableFuture<Api.Resp> repeat = repeatWhileReserved("k-2");
        beside.idempotency().forget(scope("k-2")); // the first failed: it keeps nothing
        Api.Resp r = repeat.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(201);
        assertThat(node.api.get(EP).body().path("data")).hasSize(1);
        assertThat(node.api.post(EP, BODY, Map.of("idempotency-key", "k-2")).str("id")).isEqualTo(r.str("id"));
    }

    /// A node stopped between reserving a key and answering: the retry that comes after the
    /// reservation's lease is handled (it was refused until the key expired, a day by default).
    @Test
    void aKeyLeftReservedByAStoppedNodeIsTakenOver() {
        IdempotencyStore keys = beside.idempotency();
        Instant left = Instant.now().minus(Duration.ofMinutes(2));
        assertThat(keys.reserve(scope("k-3"), left, Instant.EPOCH)).isEmpty();
        Api.Resp r = node.api.post(EP, BODY, Map.of("idempotency-key", "k-3"));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(node.api.get(EP).body().path("data")).hasSize(1);
        Optional<IdempotencyStore.Stored> kept = keys.find(scope("k-3"));
        assertThat(kept).isPresent(); // the key this request was kept under is the one reserved
        assertThat(kept.get().status()).isEqualTo(201);
    }
}
