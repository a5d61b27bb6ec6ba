package io.csvx.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/// A throwaway schema in the test PostgreSQL server, for one test: 127.0.0.1:5432 (trust auth), or
/// the JDBC URL in `CSVX_TEST_DATABASE`.
public final class TestDatabase implements AutoCloseable {
    public static final String SERVER = server();

    private final String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    public TestDatabase() {
        run("CREATE SCHEMA " + schema);
    }

    /// A JDBC URL whose connections use the schema.
    public String url() {
        return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String server() {
        String given = System.getenv("CSVX_TEST_DATABASE");
        return given == null || given.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : given.trim();
    }

    private static void run(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is needed (.ci/run starts it): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        run("DROP SCHEMA " + schema + " CASCADE");
    }
}
