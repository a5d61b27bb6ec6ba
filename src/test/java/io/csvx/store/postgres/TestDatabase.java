package io.csvx.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/// A throwaway schema in the PostgreSQL server on 127.0.0.1:5432 (trust auth), for one test.
public final class TestDatabase implements AutoCloseable {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    public TestDatabase() {
        run("CREATE SCHEMA " + schema);
    }

    /// A JDBC URL whose connections use the schema.
    public String url() {
        return SERVER + "&currentSchema=" + schema;
    }

    private static void run(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed (.ci/run starts it): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        run("DROP SCHEMA " + schema + " CASCADE");
    }
}
