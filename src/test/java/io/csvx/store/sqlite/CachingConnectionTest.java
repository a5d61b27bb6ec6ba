package io.csvx.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/// Statements kept for the next use of their SQL behave as freshly prepared ones: no parameter,
/// batch or open result of the last use carries over.
class CachingConnectionTest {
    @TempDir
    Path dir;
    private CachingConnection c;

    @BeforeEach
    void open() throws SQLException {
        Path file = dir.resolve("t.db");
        c = new CachingConnection("jdbc:sqlite:" + file, file.toString());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void aClosedStatementIsTheNextOneOfItsSqlAndKeepsNothingOfItsLastUse() throws SQLException {
        PreparedStatement first = c.prepareStatement("INSERT INTO t (id, name) VALUES (?, ?)");
        first.setInt(1, 1);
        first.setString(2, "one");
        first.executeUpdate();
        addRow(first, 99, "left in the batch, never run");
        first.close();

        PreparedStatement again = c.prepareStatement("INSERT INTO t (id, name) VALUES (?, ?)");
        assertThat(again).isSameAs(first);
        addRow(again, 2, "two");
        assertThat(again.executeBatch()).containsExactly(1);
        again.close();
        assertThat(names()).containsExactly("one", "two");
    }

    @Test
    void aBigBatchLeavesNoBigArrayForTheNextUsesToClear() throws SQLException {
        PreparedStatement big = c.prepareStatement("INSERT INTO t (id, name) VALUES (?, ?)");
        for (int i = 1; i <= 1_000; i++) {
            addRow(big, i, "row " + i);
        }
        assertThat(big.executeBatch()).hasSize(1_000);
        big.close();

        PreparedStatement small = c.prepareStatement("INSERT INTO t (id, name) VALUES (?, ?)");
        assertThat(small).isSameAs(big);
        assertThat(CachingConnection.batchSlots(small)).isLessThanOrEqualTo(CachingConnection.KEPT_BATCH_SLOTS);
        addRow(small, 1_001, "after");
        addRow(small, 1_002, "after too");
        assertThat(small.executeBatch()).containsExactly(1, 1);
        small.close();
        assertThat(names()).hasSize(1_002).endsWith("after", "after too");
    }

    @Test
    void aQueryLeftOpenIsResetWhenItsStatementCloses() throws SQLException {
        for (int i = 1; i <= 3; i++) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t (id, name) VALUES (" + i + ", 'n" + i + "')");
            }
        }
        PreparedStatement q = c.prepareStatement("SELECT name FROM t WHERE id >= ? ORDER BY id");
        q.setInt(1, 1);
        ResultSet rs = q.executeQuery();
        assertThat(rs.next()).isTrue(); // one row read, two left unread
        q.close();
        // an unfinished query would hold its snapshot of the database, and no checkpoint could end
        try (var other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
             Statement s = other.createStatement()) {
            s.executeUpdate("INSERT INTO t (id, name) VALUES (4, 'n4')");
            try (ResultSet checkpoint = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(checkpoint.next()).isTrue();
                assertThat(checkpoint.getInt(1)).as("checkpoint blocked by a reader").isZero();
            }
        }

        PreparedStatement again = c.prepareStatement("SELECT name FROM t WHERE id >= ? ORDER BY id");
        assertThat(again).isSameAs(q);
        again.setInt(1, 2);
        List<String> names = new ArrayList<>();
        try (ResultSet fresh = again.executeQuery()) {
            while (fresh.next()) {
                names.add(fresh.getString(1));
            }
        }
        again.close();
        assertThat(names).containsExactly("n2", "n3", "n4");
    }

    @Test
    void theSameSqlOpenTwiceAtOnceGetsTwoStatements() throws SQLException {
        try (PreparedStatement outer = c.prepareStatement("SELECT count(*) FROM t");
             PreparedStatement inner = c.prepareStatement("SELECT count(*) FROM t")) {
            assertThat(inner).isNotSameAs(outer);
            try (ResultSet a = outer.executeQuery(); ResultSet b = inner.executeQuery()) {
                assertThat(a.next() && b.next()).isTrue();
                assertThat(a.getInt(1)).isEqualTo(b.getInt(1)).isZero();
            }
        }
        assertThat(c.idleStatements()).isEqualTo(2);
    }

    @Test
    void manyDistinctStatementsKeepOnlyTheRecentOnes() throws SQLException {
        for (int i = 0; i < CachingConnection.MAX_SQL * 2; i++) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + i + " FROM t")) {
                ps.executeQuery().close();
            }
        }
        assertThat(c.idleStatements()).isEqualTo(CachingConnection.MAX_SQL);
    }

    @Test
    void insertsAreNotFollowedByALookupOfGeneratedKeys() throws SQLException {
        assertThat(c.unwrap(SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys()).isFalse();
    }

    /// Adds a row of `t` to the statement's batch.
    private static void addRow(PreparedStatement insert, int id, String name) throws SQLException {
        insert.setInt(1, id);
        insert.setString(2, name);
        insert.addBatch();
    }

    private List<String> names() throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM t ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
