package io.csvx.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.store.jdbc.JdbcStores;
import io.csvx.testing.RequiresPostgres;
import io.csvx.testing.TestKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/// A table named as churning is vacuumed and analyzed by the node itself while writes come, and
/// left alone while none do: this machine's PostgreSQL runs without autovacuum, as some do.
@RequiresPostgres
class PostgresVacuumTest {
    @Test
    void theQueueIsVacuumedAfterWritesAndNotWhileIdle() throws Exception {
        try (TestDatabase database = new TestDatabase();
             PostgresDb db = PostgresDb.open(database.url(), 2, Duration.ofMillis(200))) {
            db.churning("delivery"); // as the queue's store names it
            assertThat(vacuums(db)).isZero(); // no write yet: nothing to vacuum
            db.write(c -> c.createStatement().executeUpdate("DELETE FROM delivery WHERE msg_id = 'msg_none'"));
            await().atMost(Duration.ofSeconds(20)).until(() -> vacuums(db) >= 1 && analyzed(db));
            long after = vacuums(db);
            Thread.sleep(1000); // five periods without a write
            assertThat(vacuums(db)).isEqualTo(after);
        }
    }

    @Test
    void theStoresNameTheQueueAsChurning() {
        try (TestDatabase database = new TestDatabase();
             PostgresDb db = PostgresDb.open(database.url(), 2, Duration.ofMillis(200))) {
            JdbcStores.create(db, TestKeys.sealer()); // writes its key check: a vacuum is due
            await().atMost(Duration.ofSeconds(20)).until(() -> vacuums(db) >= 1);
        }
    }

    private static long vacuums(PostgresDb db) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT vacuum_count FROM pg_stat_user_tables"
                    + " WHERE relname = 'delivery' AND schemaname = current_schema()")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static boolean analyzed(PostgresDb db) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables"
                    + " WHERE relname = 'delivery' AND schemaname = current_schema()")) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }
}
