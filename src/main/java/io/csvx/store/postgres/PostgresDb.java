package io.csvx.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.csvx.store.Db;
import io.csvx.store.StoreException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// PostgreSQL through a HikariCP pool: writes that queue up together run as one short
/// transaction (group commit, never across an HTTP call), claims skip rows other nodes hold,
/// and a `NOTIFY` tells the other nodes there is new work, which a listening connection turns
/// into a wake-up (polling stays behind it).
public final class PostgresDb implements Db {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDb.class);
    private static final String CHANNEL = "csvx_work";
    /// How often the [#churning] tables are vacuumed while writes come. Each vacuum also makes
    /// PostgreSQL plan the statements on the table again: a plan it keeps from when the queue was
    /// nearly empty (a burst drained, the vacuum shrank the table) scans the whole table for each
    /// row a completion or a lease names, 3-5 ms each once a burst has queued thousands. Every 10
    /// s, one burst in five or six ran at a fifth of its speed; every 2 s, none of six did (hand
    /// harness, bursts of 5 s with pauses between).
    private static final java.time.Duration VACUUM_EVERY = java.time.Duration.ofSeconds(2);

    private final HikariDataSource pool;
    private final String url;
    private final ExecutorService async = Executors.newVirtualThreadPerTaskExecutor();
    /// Where reads and transactions run: platform threads, one a pooled connection. A virtual
    /// thread holding a connection waited, after every round trip, behind every other runnable
    /// virtual thread (deliveries, requests) for a carrier, while PostgreSQL waited for its next
    /// statement: under a delivery burst the pool's 16 connections sat idle in PostgreSQL yet were
    /// all taken, and publishes took 130-165 ms. A platform thread is scheduled by the kernel as
    /// soon as its answer arrives.
    private final ExecutorService connections;
    private final java.util.Set<Thread> connectionThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    /// The tables the stores named as [Db#churning].
    private final CopyOnWriteArrayList<String> churning = new CopyOnWriteArrayList<>();
    /// Write transactions so far; the vacuumer compares it with the count at its last run.
    private final java.util.concurrent.atomic.LongAdder writes = new java.util.concurrent.atomic.LongAdder();
    private final Thread vacuumer;
    /// Transactions waiting for a writer. Each of the [#WRITERS] takes what has queued (up to
    /// [#MAX_BATCH]) and runs it as one transaction: group commit. Measured on a delivery burst,
    /// 45 of 65 active backends sampled were in `COMMIT`, waiting for the WAL's lock or its fsync,
    /// and a publish took 80 ms: PostgreSQL flushes the WAL once a commit, so fewer commits is
    /// what makes room. At low load a transaction finds a writer free and runs alone, at once.
    private final BlockingQueue<Queued<?>> queued = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new java.util.ArrayList<>();
    /// Writer threads, each with its own connection: with a local PostgreSQL on two cores, 2 gave
    /// 1,197-1,243 messages/s in a burst, 1 gave 717-779, 4 gave 860-1,017, 8 gave 882-994
    /// (every transaction one commit: 545-577).
    private static final int WRITERS = 2;
    private static final int MAX_BATCH = 64;
    private volatile boolean closed;
    private Thread listener;

    private record Queued<T>(Work<T> work, CompletableFuture<T> result) {
    }

    private PostgresDb(String url, int poolSize, java.time.Duration vacuumEvery) {
        this.url = url;
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(poolSize + WRITERS); // the writers' own, beside the connection threads'
        c.setPoolName("csvx-postgres");
        c.setAutoCommit(true);
        this.pool = new HikariDataSource(c);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.connections = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = Thread.ofPlatform().name("csvx-postgres-" + n.incrementAndGet()).daemon(true).unstarted(r);
            connectionThreads.add(t);
            return t;
        });
        this.vacuumer = Thread.ofPlatform().name("csvx-postgres-vacuum").daemon(true)
                .start(() -> vacuumLoop(vacuumEvery));
        for (int i = 1; i <= WRITERS; i++) {
            Thread t = Thread.ofPlatform().name("csvx-postgres-writer-" + i).daemon(true).unstarted(this::writeLoop);
            connectionThreads.add(t); // work that writes again from inside a transaction runs there, at once
            writers.add(t);
            t.start();
        }
    }

    private void writeLoop() {
        List<Queued<?>> batch = new java.util.ArrayList<>(MAX_BATCH);
        while (!closed || !queued.isEmpty()) {
            try {
                Queued<?> first = queued.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queued.drainTo(batch, MAX_BATCH - 1);
                if (batch.size() == 1 || !runTogether(batch)) {
                    // alone, or one of the batch failed: each in a transaction of its own, so only its work is lost
                    for (Queued<?> q : batch) {
                        runAlone(q);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("writer loop failure", e);
            } finally {
                batch.clear();
            }
        }
    }

    /// Runs the batch as one transaction and completes every task; false (nothing kept, nothing
    /// completed) when any of it failed, a deadlock with another node's included.
    private boolean runTogether(List<Queued<?>> batch) {
        List<Object> results;
        try {
            results = transaction(c -> {
                List<Object> each = new java.util.ArrayList<>(batch.size());
                for (Queued<?> q : batch) {
                    each.add(q.work().run(c));
                }
                return each;
            });
        } catch (SQLException | RuntimeException e) {
            return false;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
        return true;
    }

    private static <T> void complete(Queued<T> q, Object value) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        q.result().complete(typed);
    }

    private <T> void runAlone(Queued<T> q) {
        try {
            q.result().complete(writeHere(q.work()));
        } catch (RuntimeException e) {
            q.result().completeExceptionally(e);
        }
    }

    /// Vacuums (and analyzes) the [#churning] tables every `every` while writes come, on a
    /// connection of its own. Each finished delivery leaves a dead row and dead index entries
    /// that every later claim and completion walks past until a vacuum removes them; autovacuum
    /// visits a table at most once a minute (and not at all where it is off), by when a busy node
    /// has left hundreds of thousands: measured, completions then read ~600 dead rows each and
    /// deliveries ran at half the rate. `SKIP_LOCKED`: where another node or
    /// autovacuum is at it, this run passes. Without statistics (a new or never-analyzed table) the
    /// planner also took the claim's index for lookups by primary key; the ANALYZE mends that.
    private void vacuumLoop(java.time.Duration every) {
        long done = 0;
        Connection c = null;
        while (!closed) {
            try {
                Thread.sleep(every);
                long now = writes.sum();
                if (now == done || churning.isEmpty()) {
                    continue;
                }
                if (c == null || c.isClosed()) {
                    c = DriverManager.getConnection(url);
                }
                try (Statement s = c.createStatement()) {
                    for (String table : churning) {
                        s.execute("VACUUM (ANALYZE, SKIP_LOCKED) " + table);
                    }
                }
                done = now;
            } catch (InterruptedException e) {
                break;
            } catch (SQLException e) {
                LOG.warn("vacuuming the queue failed (autovacuum, where on, still does it): {}", e.getMessage());
                closeQuietly(c);
                c = null;
            }
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a connection that failed already
            }
        }
    }

    /// Runs `call` on a connection thread and waits for it; at once when this is one (work that
    /// reads or writes again from inside a read or a transaction).
    private <T> T onConnectionThread(java.util.concurrent.Callable<T> call) {
        if (connectionThreads.contains(Thread.currentThread())) {
            try {
                return call.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StoreException("PostgreSQL: " + e.getMessage(), e);
            }
        }
        if (closed) {
            throw new StoreException("database is closed", null);
        }
        try {
            return connections.submit(call).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException("PostgreSQL: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting for PostgreSQL", e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new StoreException("database is closed", e);
        }
    }

    /// Connects to `database` (`postgresql://user[:password]@host[:port]/db`, or a `jdbc:postgresql:`
    /// URL) and brings its schema up to date with the same migrations as SQLite.
    public static PostgresDb open(String database, int poolSize) {
        return open(database, poolSize, VACUUM_EVERY);
    }

    /// As [#open(String, int)], vacuuming the queue every `vacuumEvery` (tests shorten it).
    static PostgresDb open(String database, int poolSize, java.time.Duration vacuumEvery) {
        String url = jdbcUrl(database);
        try {
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/common").load().migrate();
            return new PostgresDb(url, poolSize, vacuumEvery);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open PostgreSQL at " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    /// `postgresql://user:pw@host:5432/db?x=y` as a JDBC URL; a JDBC URL as it is.
    public static String jdbcUrl(String database) {
        if (database.startsWith("jdbc:postgresql:")) {
            return database;
        }
        if (!database.startsWith("postgresql://") && !database.startsWith("postgres://")) {
            throw new IllegalArgumentException("--database must be postgresql://user@host:port/db or a jdbc:postgresql: URL");
        }
        URI u = URI.create(database);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(u.getHost() == null ? "localhost" : u.getHost());
        if (u.getPort() > 0) {
            jdbc.append(':').append(u.getPort());
        }
        jdbc.append(u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath());
        StringBuilder query = new StringBuilder(u.getRawQuery() == null ? "" : u.getRawQuery());
        if (u.getRawUserInfo() != null) {
            String[] userInfo = u.getRawUserInfo().split(":", 2);
            append(query, "user=" + userInfo[0]);
            if (userInfo.length > 1) {
                append(query, "password=" + userInfo[1]);
            }
        }
        return query.isEmpty() ? jdbc.toString() : jdbc + "?" + query;
    }

    private static void append(StringBuilder query, String param) {
        query.append(query.isEmpty() ? "" : "&").append(param);
    }

    /// Creates the schema `name` in the database that `database` names (either form [#open]
    /// takes) and answers a JDBC URL whose connections use it: a throwaway database for a
    /// benchmark phase or a test. [#dropSchema] removes it.
    public static String createSchema(String database, String name) {
        String url = jdbcUrl(database);
        execute(url, "CREATE SCHEMA " + name);
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    /// Drops, with everything in it, the schema a URL from [#createSchema] uses.
    public static void dropSchema(String url) {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length()).replaceAll("&.*", "");
        execute(url, "DROP SCHEMA " + schema + " CASCADE");
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    /// The URL without its password, for messages.
    public static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    @Override
    public <T> T read(Work<T> work) {
        return onConnectionThread(() -> readHere(work));
    }

    private <T> T readHere(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /// Runs `work` in a transaction; one that lost a deadlock or a serialization conflict with
    /// another node's is rolled back and run again (a few times), as PostgreSQL expects.
    @Override
    public <T> T write(Work<T> work) {
        if (connectionThreads.contains(Thread.currentThread())) {
            return writeHere(work); // from inside a read or a transaction: a connection of its own, at once
        }
        try {
            return writeAsync(work).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException("PostgreSQL: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private <T> T writeHere(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction(work);
            } catch (SQLException e) {
                boolean retryable = "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
                if (!retryable || attempt == 5) {
                    throw translate(e);
                }
                LOG.debug("transaction conflict ({}), running it again", e.getSQLState());
            }
        }
    }

    /// One try at `work` in a transaction of its own, on a pooled connection: committed, or
    /// rolled back and the failure thrown.
    private <T> T transaction(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                writes.increment();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public <T> CompletableFuture<T> writeAsync(Work<T> work) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreException("database is closed", null));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        queued.add(new Queued<>(work, result));
        return result;
    }

    @Override
    public void churning(String table) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name: " + table); // it goes into SQL as it is
        }
        churning.addIfAbsent(table);
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public boolean movesRowsInOneStatement() {
        return true;
    }

    @Override
    public String skipLocked(String table) {
        return " FOR UPDATE OF " + table + " SKIP LOCKED";
    }

    @Override
    public void lockKeys(java.sql.Connection connection, long[] keys) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            for (long key : keys) {
                ps.setLong(1, key);
                ps.executeQuery().close();
            }
        }
    }

    /// Coalesced: a burst of new work sends one NOTIFY, from a thread of its own, at most every 20 ms.
    @Override
    public void announceWork() {
        if (closed || pending.getAndSet(true)) {
            return;
        }
        try {
            async.execute(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                pending.set(false);
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("NOTIFY " + CHANNEL);
                } catch (SQLException e) {
                    LOG.debug("NOTIFY failed (the other nodes will poll): {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException closing) {
            // closing down: the other nodes poll
        }
    }

    @Override
    public synchronized void onWork(Runnable wakeUp) {
        listeners.add(wakeUp);
        if (listener == null) {
            listener = Thread.ofPlatform().name("csvx-postgres-listen").daemon(true).start(this::listen);
        }
    }

    /// One connection outside the pool, LISTENing; reconnects after a failure.
    private void listen() {
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(1000);
                    if (got != null && got.length > 0) {
                        listeners.forEach(Runnable::run);
                    }
                }
            } catch (SQLException e) {
                if (!closed) {
                    LOG.warn("LISTEN connection lost ({}); polling only until it is back", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    private StoreException translate(SQLException e) {
        if (isUniqueViolation(e)) {
            return new StoreException.Conflict(e.getMessage(), e);
        }
        if ("23503".equals(e.getSQLState())) { // foreign_key_violation
            return new StoreException.Gone("PostgreSQL: " + e.getMessage(), e);
        }
        return new StoreException("PostgreSQL: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        closed = true;
        vacuumer.interrupt();
        async.shutdown();
        try {
            async.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.shutdown();
        try {
            for (Thread writer : writers) {
                writer.join(10_000); // each runs what is queued, then stops
            }
            for (Queued<?> late; (late = queued.poll()) != null; ) {
                late.result().completeExceptionally(new StoreException("database is closed", null));
            }
            connections.awaitTermination(5, TimeUnit.SECONDS);
            vacuumer.join(5000); // a vacuum under way ends before the schema may be dropped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
