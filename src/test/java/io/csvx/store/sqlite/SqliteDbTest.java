package io.csvx.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.store.Db;
import io.csvx.store.StoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Group commit: many callers' writes share one transaction, and one caller's failure
/// loses nothing of the others'.
class SqliteDbTest {
    @TempDir
    Path dir;

    @Test
    void aFailingTaskInABatchLosesOnlyItsOwnWork() throws Exception {
        try (SqliteDb db = SqliteDb.open(dir)) {
            CountDownLatch hold = new CountDownLatch(1);
            // occupy the writer so that everything below queues up and runs as one batch
            CompletableFuture<Object> blocker = db.writeAsync(c -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = i == 7 ? "evt_dup" : "evt_" + i;
                writes.add(db.writeAsync(c -> insert(c, id)));
            }
            writes.add(db.writeAsync(c -> insert(c, "evt_dup"))); // the second one conflicts
            hold.countDown();
            blocker.join();

            int ok = 0;
            int conflicts = 0;
            for (CompletableFuture<Integer> w : writes) {
                try {
                    w.join();
                    ok++;
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(StoreException.Conflict.class);
                    conflicts++;
                }
            }
            assertThat(ok).isEqualTo(20);
            assertThat(conflicts).isEqualTo(1);
            int rows = db.read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM idempotency")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(20);
        }
    }

    /// The writer would checkpoint only at thousands of WAL pages; a few commits reach the
    /// database file itself (read here with the WAL ignored) through the checkpointer alone.
    @Test
    void committedRowsReachTheDatabaseFileWithoutTheWriterCheckpointing() throws Exception {
        try (SqliteDb db = SqliteDb.open(dir)) {
            for (int i = 0; i < 30; i++) {
                String id = "ckpt_" + i;
                db.write(c -> insert(c, id));
            }
            String fileOnly = "jdbc:sqlite:file:" + dir.resolve("csvx.db") + "?immutable=1";
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                try (var c = java.sql.DriverManager.getConnection(fileOnly);
                     var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM idempotency WHERE scope_key LIKE 'ckpt%'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(30);
                }
            });
        }
    }

    /// The writer commits without waiting for the disk: each write is answered only once the
    /// syncer has forced the WAL past its commit (the commit count the work saw, plus one at least).
    @Test
    void aWriteIsAnsweredOnlyOnceItsCommitIsForcedToDisk() {
        try (SqliteDb db = SqliteDb.open(dir)) {
            List<CompletableFuture<Boolean>> forcedFirst = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "sync_" + i;
                java.util.concurrent.atomic.AtomicLong before = new java.util.concurrent.atomic.AtomicLong();
                CompletableFuture<Integer> write = db.writeAsync(c -> {
                    before.set(db.commits());
                    return insert(c, id);
                });
                // attached before it is answered (most of them), this runs as it is answered
                forcedFirst.add(write.thenApply(n -> db.synced() > before.get()));
            }
            assertThat(forcedFirst).allSatisfy(f -> assertThat(f.join()).isTrue());
            assertThat(db.synced()).isEqualTo(db.commits());
            // the writer does not fsync at commit (NORMAL, 1); the others' connections would (FULL, 2)
            Db.Work<Integer> level = c -> {
                try (var rs = c.createStatement().executeQuery("PRAGMA synchronous")) {
                    rs.next();
                    return rs.getInt(1);
                }
            };
            assertThat(db.write(level)).isEqualTo(1);
            assertThat(db.read(level)).isEqualTo(2);
        }
    }

    private static int insert(java.sql.Connection c, String id) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("INSERT INTO idempotency (scope_key, status, body, created_at) VALUES (?, 200, '{}', 0)")) {
            ps.setString(1, id);
            return ps.executeUpdate();
        }
    }
}
