package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.config.Config;
import io.csvx.endpoint.Endpoint;
import io.csvx.message.Message;
import io.csvx.store.Ids;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.IdlePublishing;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Background tasks over a real SQLite store: a task left running by a node that stopped is
/// taken over once its lease is out, and worked to the end in batches.
class BackgroundTasksTest {
    @TempDir
    Path dir;

    private final Ids ids = new Ids();
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private Stores stores;
    private IdlePublishing idle;
    private BackgroundTasks tasks;
    private final List<BackgroundTask> ended = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        stores.apps().create(new Application("app_1", null, "Acme", null, "{}", t0, t0));
        stores.endpoints().create(new Endpoint("ep_1", "app_1", null, "http://127.0.0.1:9/a", "", false,
                List.of("wanted"), null, null, "{}", Map.of(), null, t0, t0, null), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        idle = new IdlePublishing(stores, ids, Config.defaults(dir, 0));
        tasks = new BackgroundTasks(stores.tasks(), idle.endpoints(), idle.dispatcher(), stores.db(), ids, "node_b",
                Duration.ofSeconds(30), Clock.systemUTC());
        tasks.onEnd(ended::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        tasks.close();
        idle.close();
        stores.close();
    }

    @Test
    void aStaleTaskIsTakenOverAndFinishedInBatches() {
        int count = BackgroundTasks.BATCH * 2 + 100;
        for (int i = 0; i < count; i++) {
            stores.messages().publish(new Message(ids.next("msg_"), "app_1", i % 4 == 0 ? "other" : "wanted", null,
                    null, "{}", t0.plusMillis(i), t0.plusSeconds(600)), List.of(), null, null);
        }
        // a replay a stopped node began: its lease ran out a second ago
        BackgroundTask left = new BackgroundTask(ids.next("qtask_"), BackgroundTask.Kind.REPLAY_MISSING,
                BackgroundTask.Status.RUNNING, "app_1", "ep_1", BackgroundTask.Params.range(t0, t0.plusSeconds(60)),
                null, 0, 0, null, t0, t0);
        stores.tasks().insert(left, "node_a", Instant.now().minusSeconds(1));

        tasks.resumeStale();
        await().atMost(Duration.ofSeconds(20)).until(() -> ended.size() == 1);
        BackgroundTask done = stores.tasks().find(left.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(BackgroundTask.Status.FINISHED);
        assertThat(done.scanned()).isEqualTo(count);
        assertThat(done.scheduled()).isEqualTo(count - (count + 3) / 4); // the endpoint takes only "wanted"
        assertThat(ended.getFirst().status()).isEqualTo(BackgroundTask.Status.FINISHED);
        // nothing is left for another node to take
        assertThat(stores.tasks().claimStale("node_c", Instant.now().plusSeconds(60), Instant.now().plusSeconds(90), 10))
                .isEmpty();
    }

    @Test
    void aTaskWhoseEndpointIsGoneFails() {
        stores.endpoints().delete("app_1", "ep_1");
        Endpoint gone = new Endpoint("ep_1", "app_1", null, "http://127.0.0.1:9/a", "", false, null, null, null, "{}",
                Map.of(), null, t0, t0, null);
        BackgroundTask started = tasks.start(BackgroundTask.Kind.RECOVER, gone, BackgroundTask.Params.range(t0, null))
                .orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> ended.size() == 1);
        BackgroundTask failed = stores.tasks().find(started.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(BackgroundTask.Status.FAILED);
        assertThat(failed.error()).isEqualTo("the endpoint was deleted");
    }
}
