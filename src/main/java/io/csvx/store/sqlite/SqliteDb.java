package io.csvx.store.sqlite;

import io.csvx.store.Db;
import io.csvx.store.OwnerOnly;
import io.csvx.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;

/// SQLite in WAL mode: one writer thread with group commit, a syncer thread that makes each
/// commit durable before its writes are answered, a few read connections, and a checkpointer
/// thread that copies committed pages from the WAL into the database file.
///
/// The writer commits without waiting for the disk (`synchronous=NORMAL`: SQLite writes the WAL
/// but does not fsync it at commit); the syncer then forces the WAL to disk and only then answers
/// the batch's callers, so a write answered survives power loss as under `synchronous=FULL`,
/// while the writer is already running the next batch: the fsync no longer holds every waiting
/// publish. Checkpoints still sync the WAL before copying it and the database file after, so
/// the WAL is only reused once its content is on disk in the file.
///
/// SQLite would checkpoint on the writer, inside a commit, whenever the WAL holds 1,000 pages:
/// hundreds of page reads and writes and an fsync that every waiting publish then waits for too.
/// Here the checkpointer does that work on its own connection, every [#CHECKPOINT_EVERY] while
/// commits come, passively (it never blocks the writer); the writer checkpoints only as a backstop at
/// [#WRITER_CHECKPOINT_PAGES], finding little left to copy, so that the WAL starts over.
public final class SqliteDb implements Db {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDb.class);
    private static final int MAX_BATCH = 512;
    private static final Duration CHECKPOINT_EVERY = Duration.ofMillis(50);
    private static final int WRITER_CHECKPOINT_PAGES = 4000;
    /// The writer thread's name, by which a benchmark finds its CPU time.
    public static final String WRITER_THREAD = "csvx-sqlite-writer";

    private record Task<T>(Work<T> work, CompletableFuture<T> result) {
    }

    /// A batch the writer committed as commit number `number`: its tasks, and what answers them
    /// (lists the writer made for this batch alone and no longer touches).
    private record Committed(long number, List<Task<?>> batch, List<Runnable> completions) {
    }

    private final Path file;
    private final Connection writer;
    private final BlockingQueue<Task<?>> tasks = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders = new ArrayList<>();
    private final Thread writerThread;
    private final Connection checkpointing;
    private final Thread checkpointer;
    private final Path wal;
    /// Commits made by the writer, in order, waiting for the syncer.
    private final BlockingQueue<Committed> committed = new LinkedBlockingQueue<>();
    private final Thread syncer;
    /// The number of the last commit the syncer forced to disk.
    private volatile long synced;
    /// Set when forcing the WAL failed: nothing written since can be vouched for, so every later
    /// write fails with it.
    private volatile Exception syncFailure;
    /// Commits so far; the checkpointer compares it with the count at its last checkpoint.
    private volatile long commits;
    private volatile boolean closed;

    private SqliteDb(Path file, int readConnections) throws SQLException {
        this.file = file.toAbsolutePath();
        this.writer = open(false);
        this.readers = new ArrayBlockingQueue<>(readConnections);
        for (int i = 0; i < readConnections; i++) {
            Connection c = open(true);
            allReaders.add(c);
            readers.add(c);
        }
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=" + WRITER_CHECKPOINT_PAGES);
        }
        this.wal = this.file.resolveSibling(this.file.getFileName() + "-wal");
        this.checkpointing = open(true);
        this.writerThread = Thread.ofPlatform().name(WRITER_THREAD).daemon(true).start(this::writeLoop);
        this.syncer = Thread.ofPlatform().name("csvx-sqlite-sync").daemon(true).start(this::syncLoop);
        this.checkpointer = Thread.ofPlatform().name("csvx-sqlite-checkpoint").daemon(true).start(this::checkpointLoop);
    }

    /// Opens (creating if needed) `csvx.db` in `dataDir` and brings its schema up to date. Refuses,
    /// with [StoreException.Unusable], a database that is missing or empty while the data dir
    /// shows it was used, one that SQLite's `quick_check` finds damaged, and a file that is not one.
    public static SqliteDb open(Path dataDir) {
        Path file = dataDir.resolve("csvx.db");
        try {
            OwnerOnly.directory(dataDir);
            boolean used = Files.exists(dataDir.resolve("admin-token")) || Files.isDirectory(dataDir.resolve("files"));
            boolean empty = !Files.exists(file) || Files.size(file) == 0;
            if (used && empty) {
                throw new StoreException.Unusable(file + " is missing or empty, but " + dataDir + " was used before (it"
                        + " holds an admin token or files): restore the database from a backup, or move the data dir"
                        + " away to start afresh", null);
            }
            if (!empty) {
                quickCheck(file);
            }
            Flyway.configure()
                    .dataSource("jdbc:sqlite:" + file.toAbsolutePath(), null, null)
                    .locations("classpath:db/migration/common")
                    .mixed(true)
                    .load()
                    .migrate();
            SqliteDb db = new SqliteDb(file, 4);
            // the database, its WAL and shared memory exist now: readable by their owner only
            OwnerOnly.existing(Set.of(file, file.resolveSibling("csvx.db-wal"), file.resolveSibling("csvx.db-shm")));
            return db;
        } catch (IOException | SQLException | FlywayException e) {
            throw new StoreException.Unusable("cannot open " + file + ": " + firstLine(e), e);
        }
    }

    /// SQLite's quick integrity check: a page in the middle overwritten with noise is found here,
    /// before the node serves (and answers its health check) on a damaged file.
    private static void quickCheck(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            String verdict = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(verdict)) {
                throw new StoreException.Unusable(file + " is damaged (SQLite's quick_check: " + verdict.lines()
                        .findFirst().orElse(verdict) + "): restore it from a backup", null);
            }
        } catch (SQLException e) {
            throw new StoreException.Unusable(file + " cannot be read as a database: " + firstLine(e), e);
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private Connection open(boolean readOnly) throws SQLException {
        Connection c = new CachingConnection("jdbc:sqlite:" + file, file.toString());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // FULL: a commit survives power loss, not only a process crash. The writer's is NORMAL,
            // its commits forced to disk by the syncer before they are answered.
            s.execute(readOnly ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA cache_size=-32000");
            s.execute("PRAGMA temp_store=MEMORY");
        }
        if (!readOnly) {
            c.setAutoCommit(false);
        }
        return c;
    }

    @Override
    public boolean singleWriter() {
        return true;
    }

    @Override
    public <T> T read(Work<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting for a read connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            readers.add(c);
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        try {
            return writeAsync(work).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException("write failed", e.getCause());
        }
    }

    @Override
    public <T> CompletableFuture<T> writeAsync(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new StoreException("database is closed", null));
            return result;
        }
        if (syncFailure != null) {
            result.completeExceptionally(syncFailed());
            return result;
        }
        tasks.add(new Task<>(work, result));
        return result;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return e.getErrorCode() == SQLiteErrorCode.SQLITE_CONSTRAINT.code
                && e.getMessage() != null && (e.getMessage().contains("UNIQUE") || e.getMessage().contains("PRIMARY KEY"));
    }

    private StoreException translate(SQLException e) {
        if (isUniqueViolation(e)) {
            return new StoreException.Conflict(e.getMessage(), e);
        }
        if (e.getErrorCode() == SQLiteErrorCode.SQLITE_CONSTRAINT.code && e.getMessage() != null
                && e.getMessage().contains("FOREIGN KEY")) {
            return new StoreException.Gone("SQLite: " + e.getMessage(), e);
        }
        return new StoreException("SQLite: " + e.getMessage(), e);
    }

    private void writeLoop() {
        while (!closed || !tasks.isEmpty()) {
            try {
                Task<?> first = tasks.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                // lists of the batch's own: once committed they go to the syncer as they are
                List<Task<?>> batch = new ArrayList<>(Math.min(MAX_BATCH, tasks.size() + 1));
                batch.add(first);
                tasks.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch, new ArrayList<>(batch.size()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("writer loop failure", e);
            }
        }
    }

    /// Runs a batch as one transaction. Optimistically without savepoints (the common case:
    /// nothing fails); if a task fails, everything is rolled back and the batch runs again with
    /// a savepoint per task, so only the failing task's work is lost.
    private void runBatch(List<Task<?>> batch, List<Runnable> completions) {
        if (batch.size() > 1 && runTogether(batch, completions)) {
            return;
        }
        completions.clear();
        for (Task<?> task : batch) {
            completions.add(runOne(task));
        }
        commit(batch, completions);
    }

    private boolean runTogether(List<Task<?>> batch, List<Runnable> completions) {
        for (Task<?> task : batch) {
            try {
                completions.add(complete(task, task.work().run(writer)));
            } catch (SQLException | RuntimeException e) {
                try {
                    writer.rollback();
                } catch (SQLException rollback) {
                    LOG.warn("rolling back a batch: {}", rollback.getMessage());
                }
                return false;
            }
        }
        commit(batch, completions);
        return true;
    }

    private static <T> Runnable complete(Task<T> task, Object value) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return () -> task.result().complete(typed);
    }

    private void commit(List<Task<?>> batch, List<Runnable> completions) {
        try {
            writer.commit();
            commits++; // only the writer thread writes it
            committed.add(new Committed(commits, batch, completions));
        } catch (SQLException e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // the commit failure below is what callers need to see
            }
            for (Task<?> task : batch) {
                task.result().completeExceptionally(translate(e));
            }
        }
    }

    private <T> Runnable runOne(Task<T> task) {
        Savepoint sp = null;
        try {
            sp = writer.setSavepoint();
            T value = task.work().run(writer);
            writer.releaseSavepoint(sp);
            return () -> task.result().complete(value);
        } catch (SQLException | RuntimeException e) {
            if (sp != null) {
                try {
                    writer.rollback(sp);
                    writer.releaseSavepoint(sp);
                } catch (SQLException ignored) {
                    // savepoint rollback failing leaves the outer commit to report
                }
            }
            RuntimeException failure = e instanceof SQLException s ? translate(s) : (RuntimeException) e;
            return () -> task.result().completeExceptionally(failure);
        }
    }

    /// Forces the WAL to disk after the writer's commits, as many at a time as have come, then
    /// answers their callers in the order they were committed.
    private void syncLoop() {
        List<Committed> ready = new ArrayList<>();
        while (true) {
            try {
                Committed first = committed.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && !writerThread.isAlive() && committed.isEmpty()) {
                        return;
                    }
                    continue;
                }
                ready.add(first);
                committed.drainTo(ready);
                sync(ready);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                ready.clear();
            }
        }
    }

    private void sync(List<Committed> ready) {
        if (syncFailure == null) {
            // opened afresh each time: a channel kept open would force a stale file, unnoticed, were
            // SQLite ever to remove and create the WAL again
            try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.WRITE)) {
                channel.force(false);
                synced = ready.getLast().number();
            } catch (IOException | RuntimeException e) {
                syncFailure = e;
                LOG.error("forcing SQLite's WAL to disk failed: the writes since are not vouched for, and every"
                        + " write from now on fails; restart the node once the disk is sound", e);
            }
        }
        for (Committed c : ready) {
            if (syncFailure == null) {
                c.completions().forEach(Runnable::run);
            } else {
                for (Task<?> task : c.batch()) {
                    task.result().completeExceptionally(syncFailed());
                }
            }
        }
    }

    private StoreException syncFailed() {
        return new StoreException("SQLite: forcing the WAL to disk failed: " + syncFailure.getMessage(), syncFailure);
    }

    /// The number of the last commit the syncer forced to disk; [#commits] counts them all.
    long synced() {
        return synced;
    }

    /// The writer's commits so far.
    long commits() {
        return commits;
    }

    /// Copies what the writer committed into the database file, every [#CHECKPOINT_EVERY] while
    /// commits come, as far as readers allow; never waits for the writer nor makes it wait.
    private void checkpointLoop() {
        long done = 0;
        while (!closed) {
            try {
                Thread.sleep(CHECKPOINT_EVERY);
                long now = commits;
                if (now == done) {
                    continue;
                }
                try (Statement s = checkpointing.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                }
                done = now;
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                LOG.warn("checkpointing the WAL failed (the writer's own checkpoints go on): {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writerThread.join(10_000);
            syncer.join(10_000); // answers the last commits, then ends
            checkpointer.interrupt();
            checkpointer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            checkpointing.close();
            writer.close();
            for (Connection c : allReaders) {
                c.close();
            }
        } catch (SQLException e) {
            LOG.warn("closing SQLite: {}", e.getMessage());
        }
    }
}
