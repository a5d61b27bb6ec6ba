package io.csvx.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/// A database the stores run SQL on: reads on shared connections, writes as transactions.
///
/// On SQLite all writes go through one writer thread that commits several callers' work in one
/// transaction (each in its own savepoint), so a burst of publishes costs one commit, not one each.
public interface Db extends AutoCloseable {

    /// Work done with a connection; may throw SQLException.
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    <T> T read(Work<T> work);

    /// Runs `work` in a transaction and waits for its commit.
    <T> T write(Work<T> work);

    /// Runs `work` in a transaction; the future completes after the commit.
    <T> CompletableFuture<T> writeAsync(Work<T> work);

    /// True when the exception is a unique-constraint violation.
    boolean isUniqueViolation(SQLException e);

    /// What a claim's SELECT ends with so that concurrent claimers skip each other's rows:
    /// `FOR UPDATE … SKIP LOCKED` where several nodes share the database, nothing on SQLite,
    /// whose single writer already makes a claim exclusive. `table` names the locked table's alias.
    default String skipLocked(String table) {
        return "";
    }

    /// True when one node alone writes the database, through one writer (SQLite): work that
    /// chooses rows to change may then read them outside the write transaction and only change
    /// them, checked again, inside it, so that the writer is busy for the change alone.
    default boolean singleWriter() {
        return false;
    }

    /// True when one statement may delete a row and insert what it deleted elsewhere (`WITH d AS
    /// (DELETE … RETURNING …) INSERT … SELECT … FROM d`, PostgreSQL), where each statement costs
    /// its round of parsing, planning and locking in the server. SQLite runs two in process, cheaply.
    default boolean movesRowsInOneStatement() {
        return false;
    }

    /// Makes transactions that lock the same key run their work after the lock one after another,
    /// until the transaction ends: advisory transaction locks where several nodes share the
    /// database, nothing on SQLite, whose single writer already runs one transaction at a time.
    /// `keys` must be sorted, so that two transactions cannot wait for each other.
    default void lockKeys(java.sql.Connection connection, long[] keys) throws SQLException {
    }

    /// Names a table whose rows are deleted about as fast as they are inserted (a queue): a
    /// backend that leaves dead rows behind until a vacuum (PostgreSQL) vacuums it itself, often;
    /// SQLite reuses the space at once and needs nothing.
    default void churning(String table) {
    }

    /// Tells the other nodes that there is new work (a hint: they poll anyway).
    default void announceWork() {
    }

    /// Runs `wakeUp` whenever another node announces work, until closed.
    default void onWork(Runnable wakeUp) {
    }

    @Override
    void close();
}
