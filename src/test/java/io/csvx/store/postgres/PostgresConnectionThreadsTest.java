package io.csvx.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.testing.RequiresPostgres;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/// Reads and transactions run on platform threads of the database's own, whoever asks: a
/// virtual thread holding a connection would wait for a carrier after every round trip.
@RequiresPostgres
class PostgresConnectionThreadsTest {
    @Test
    void workFromAVirtualThreadRunsOnAPlatformThreadAndNestedWorkWhereItIs() throws Exception {
        try (TestDatabase database = new TestDatabase(); PostgresDb db = PostgresDb.open(database.url(), 2)) {
            AtomicReference<String> seen = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> seen.set(db.write(c -> {
                Thread inside = Thread.currentThread();
                // a read from inside the transaction runs on its thread (with a connection of its own), not queued
                String nested = db.read(r -> Thread.currentThread() == inside ? "same" : "other");
                return (inside.isVirtual() ? "virtual" : inside.getName()) + "/" + nested;
            })));
            caller.join(30_000);
            assertThat(seen.get()).matches("csvx-postgres-\\d+/same");
            assertThat(db.writeAsync(c -> Thread.currentThread().getName()).get()).startsWith("csvx-postgres-");
        }
    }
}
