package io.csvx.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.sqlite.SQLiteConfig;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/// A SQLite connection that keeps its prepared statements for the next use of the same SQL, and
/// does not look up generated keys.
///
/// The stores prepare every statement where they use it and close it after, which on SQLite
/// means compiling the SQL each time: a quarter of the writer thread's time under a delivery
/// burst. Here closing a statement resets it and puts it aside; preparing the same SQL again
/// takes it back. One thread uses a connection at a time (the writer thread, or whoever holds a
/// read connection), so the cache needs no lock. SQL that is built with a varying number of
/// parameters makes many distinct strings: the least recently used are finalized beyond
/// [#MAX_SQL] of them.
final class CachingConnection extends JDBC4Connection {
    /// Distinct SQL strings kept; statements of the rest are finalized when closed.
    static final int MAX_SQL = 256;
    /// Statements of one SQL kept idle (a statement may be prepared again while an earlier
    /// one of the same SQL is still open, as in a nested query).
    private static final int IDLE_PER_SQL = 4;
    /// Parameter slots of a batch a kept statement may hold on to between uses. The driver's batch
    /// array only grows, and every `clearBatch` (each `executeBatch` ends with one) nulls all of it:
    /// after one batch of 1,024 outcomes, each later batch of two paid for the 1,024 (4% of the
    /// server's CPU at a steady 4,000 deliveries/s). Beyond this the array is dropped instead.
    static final int KEPT_BATCH_SLOTS = 256;

    private final Map<String, ArrayDeque<Cached>> idle = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Cached>> eldest) {
            if (size() <= MAX_SQL) {
                return false;
            }
            eldest.getValue().forEach(Cached::finalizeQuietly);
            return true;
        }
    };

    CachingConnection(String url, String file) throws SQLException {
        super(url, file, properties());
    }

    /// The driver's defaults but one: it would follow every INSERT with a `SELECT
    /// last_insert_rowid()` for `getGeneratedKeys`, which CSV-X never asks for (its ids are its own).
    private static Properties properties() {
        Properties p = new Properties();
        p.setProperty(SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS.pragmaName, "false");
        return p;
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY
                || holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            return super.prepareStatement(sql, type, concurrency, holdability);
        }
        checkOpen();
        ArrayDeque<Cached> kept = idle.get(sql);
        Cached c = kept == null ? null : kept.poll();
        return c != null ? c : new Cached(this, sql);
    }

    /// The parameter slots a statement of this connection holds for its batch (for tests).
    static int batchSlots(PreparedStatement statement) {
        return ((Cached) statement).batchSlots();
    }

    /// Statements kept idle now, over all SQL (for tests).
    int idleStatements() {
        int n = 0;
        for (ArrayDeque<Cached> kept : idle.values()) {
            n += kept.size();
        }
        return n;
    }

    @Override
    public void close() throws SQLException {
        for (Iterator<ArrayDeque<Cached>> it = idle.values().iterator(); it.hasNext(); ) {
            it.next().forEach(Cached::finalizeQuietly);
            it.remove();
        }
        super.close();
    }

    /// Puts a closed statement aside for its SQL, or finalizes it when enough are kept.
    private void putAside(Cached c) throws SQLException {
        if (isClosed()) {
            c.finalizeStatement();
            return;
        }
        ArrayDeque<Cached> kept = idle.computeIfAbsent(c.key, s -> new ArrayDeque<>(2));
        if (kept.size() >= IDLE_PER_SQL) {
            c.finalizeStatement();
        } else {
            kept.push(c);
        }
    }

    /// A prepared statement whose `close` resets it for the next use instead of finalizing it.
    private static final class Cached extends JDBC4PreparedStatement {
        private final CachingConnection owner;
        private final String key;

        Cached(CachingConnection owner, String sql) throws SQLException {
            super(owner, sql);
            this.owner = owner;
            this.key = sql;
        }

        @Override
        public void close() throws SQLException {
            if (super.isClosed()) {
                return;
            }
            try {
                if (rs.isOpen()) {
                    rs.close(); // resets the statement; an executed update was reset already
                }
                clearBatch();
                clearParameters();
            } catch (SQLException | RuntimeException e) {
                finalizeStatement(); // in no state to be used again
                throw e;
            }
            owner.putAside(this);
        }

        @Override
        public void clearBatch() throws SQLException {
            if (batch != null && batch.length > KEPT_BATCH_SLOTS) {
                batch = null; // the next addBatch makes a small one
            }
            super.clearBatch();
        }

        /// The parameter slots its batch array holds (for tests).
        int batchSlots() {
            return batch == null ? 0 : batch.length;
        }

        void finalizeStatement() throws SQLException {
            super.close();
        }

        void finalizeQuietly() {
            try {
                finalizeStatement();
            } catch (SQLException ignored) {
                // the connection is closing or the statement is dropped: nothing to hand back
            }
        }
    }
}
