package io.csvx.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.store.Ids;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The one path every job is queued by: stored, then signalled.
class JobQueueTest {
    @TempDir
    Path dir;

    @Test
    void aQueuedJobIsStoredClaimableAndSignalled() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Stores stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer())) {
            stores.apps().create(new Application("app_1", "acme", "Acme", null, "{}", t0, t0));
            AtomicInteger wakeUps = new AtomicInteger();
            JobQueue queue = new JobQueue(stores.jobs(), stores.db(), wakeUps::incrementAndGet);

            Job queued = queue.enqueue(Job.queued("job_1", "app_1", "pl_1", null, "http://127.0.0.1:9/orders.csv",
                    "{\"steps\": []}", t0));
            assertThat(queued.status()).isEqualTo(Job.Status.QUEUED);
            assertThat(wakeUps).hasValue(1); // this node's runner looks at once
            assertThat(stores.jobs().claim("node_1", t0, t0.plusSeconds(30), 10)).extracting(Job::id)
                    .containsExactly("job_1");
        }
    }
}
