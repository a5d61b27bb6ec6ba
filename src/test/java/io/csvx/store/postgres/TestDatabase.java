package io.csvx.store.postgres;

import java.util.UUID;

/// A throwaway schema in the test PostgreSQL server, for one test: 127.0.0.1:5432 (trust auth), or
/// the JDBC URL in `CSVX_TEST_DATABASE`. Made and dropped the way `csvx bench` does it.
public final class TestDatabase implements AutoCloseable {
    public static final String SERVER = server();

    private final String url = PostgresDb.createSchema(SERVER,
            "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));

    /// A JDBC URL whose connections use the schema.
    public String url() {
        return url;
    }

    private static String server() {
        String given = System.getenv("CSVX_TEST_DATABASE");
        return given == null || given.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : given.trim();
    }

    @Override
    public void close() {
        PostgresDb.dropSchema(url);
    }
}
