package io.csvx.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.store.StoreException;
import io.csvx.testing.RequiresPostgres;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/// Reads and transactions run on platform threads of the database's own, whoever asks: a
/// virtual thread holding a connection would wait for a carrier after every round trip. Writes
/// that queue up together commit together.
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
            assertThat(seen.get()).matches("csvx-postgres-writer-\\d+/same");
            assertThat(db.writeAsync(c -> Thread.currentThread().getName()).get()).startsWith("csvx-postgres-");
        }
    }

    @Test
    void writesThatQueueUpCommitTogetherAndOneThatFailsLosesOnlyItsOwnWork() throws Exception {
        try (TestDatabase database = new TestDatabase(); PostgresDb db = PostgresDb.open(database.url(), 2)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("CREATE TABLE t (n INT PRIMARY KEY, tx BIGINT NOT NULL)");
                }
            });
            // both writers held, so that what follows queues up behind them (one at a time: a writer
            // that is free takes whatever has queued)
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<?>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                CountDownLatch holding = new CountDownLatch(1);
                held.add(db.writeAsync(c -> {
                    holding.countDown();
                    try {
                        return release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            }
            List<CompletableFuture<Integer>> inserts = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                int row = n == 150 ? 3 : n; // the 150th repeats row 3's key
                inserts.add(db.writeAsync(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, txid_current())")) {
                        ps.setInt(1, row);
                        return ps.executeUpdate();
                    }
                }));
            }
            release.countDown();
            CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            // two writers commit batches side by side, so either of the two writes of key 3 may come
            // second: that one, and only it, fails
            List<Integer> refused = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                try {
                    assertThat(inserts.get(n).get(30, TimeUnit.SECONDS)).isEqualTo(1);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e).hasCauseInstanceOf(StoreException.Conflict.class);
                    refused.add(n);
                }
            }
            assertThat(refused).hasSize(1).isSubsetOf(3, 150);
            long[] rowsAndTransactions = db.read(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT tx) FROM t")) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2)};
                }
            });
            assertThat(rowsAndTransactions[0]).isEqualTo(199);
            // batches of up to 64, the failing one's run again one by one: far fewer commits than writes
            assertThat(rowsAndTransactions[1]).isLessThan(100);
        }
    }
}
