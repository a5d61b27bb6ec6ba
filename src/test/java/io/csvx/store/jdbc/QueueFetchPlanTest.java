package io.csvx.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.store.postgres.PostgresDb;
import io.csvx.store.postgres.TestDatabase;
import io.csvx.testing.RequiresPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The claim's fetch on PostgreSQL, planned with the queue's statistics behind its churn: taken
/// while every row was leased (due later), read when all are due. The plan is read, not timed:
/// custom or generic, each picked row is found by its key, never by walking the due rows.
@RequiresPostgres
class QueueFetchPlanTest {
    private static final int QUEUED = 20_000;
    private static final int PICKED = 256;

    @Test
    void theFetchFindsEachPickedRowByItsKeyWhateverTheStatisticsSay() throws Exception {
        try (TestDatabase database = new TestDatabase(); PostgresDb db = PostgresDb.open(database.url(), 2)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO application (id, name, metadata, created_at, updated_at)"
                            + " VALUES ('app_1', 'a', '{}', 0, 0)");
                    s.execute("INSERT INTO endpoint (id, app_id, url, description, disabled, metadata, headers,"
                            + " created_at, updated_at) VALUES ('ep_1', 'app_1', 'http://127.0.0.1/', '', 0, '{}', '{}', 0, 0)");
                    s.execute("INSERT INTO message (id, app_id, event_type, payload, created_at, expires_at)"
                            + " SELECT 'msg_' || i, 'app_1', 'e', '{}', i, i FROM generate_series(1, " + QUEUED + ") i");
                    queue(s);
                }
                return null;
            });
            // statistics taken while every row was leased, due a minute later
            db.read(c -> run(c, "ANALYZE delivery"));
            db.write(c -> run(c, "UPDATE delivery SET next_attempt_at = 1"));

            StringBuilder args = new StringBuilder();
            for (int i = 1; i <= PICKED; i++) {
                args.append("'msg_").append(i).append("', 'ep_1', ");
            }
            args.append("10");
            for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
                String plan = db.read(c -> explain(c, JdbcQueue.fetchSql(PICKED, db), args.toString(), mode));
                assertThat(plan).as(mode).contains("Index Scan using delivery_").doesNotContain("delivery_due")
                        .doesNotContain("delivery_endpoint_due").doesNotContain("Seq Scan on delivery");
            }
        }
    }

    /// The plan of `sql` (its `?` numbered as PostgreSQL's `$n`), prepared and run with `args`,
    /// PostgreSQL's plan cache in `mode`.
    private static String explain(Connection c, String sql, String args, String mode) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            numbered.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = " + mode);
            s.execute("PREPARE picked AS " + numbered);
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE picked (" + args + ")")) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            } finally {
                s.execute("DEALLOCATE picked");
                s.execute("RESET plan_cache_mode");
            }
            return String.join("\n", lines);
        }
    }

    private static boolean run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.execute(sql);
        }
    }

    private static void queue(Statement s) throws SQLException {
        s.execute("INSERT INTO delivery (msg_id, endpoint_id, app_id, status, attempts, trigger_type, next_attempt_at,"
                + " created_at, updated_at) SELECT 'msg_' || i, 'ep_1', 'app_1', 1, 0, 0, 60000, 0, 0"
                + " FROM generate_series(1, " + QUEUED + ") i");
    }
}
