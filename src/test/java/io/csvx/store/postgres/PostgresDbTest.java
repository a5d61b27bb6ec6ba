package io.csvx.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/// How `--database` values become JDBC URLs, and stay out of logs with their passwords.
class PostgresDbTest {
    @Test
    void postgresqlUrlsBecomeJdbcUrls() {
        assertThat(PostgresDb.jdbcUrl("postgresql://csvx@db.internal:5433/csvx"))
                .isEqualTo("jdbc:postgresql://db.internal:5433/csvx?user=csvx");
        assertThat(PostgresDb.jdbcUrl("postgres://csvx:s3cret@127.0.0.1/csvx?sslmode=require"))
                .isEqualTo("jdbc:postgresql://127.0.0.1/csvx?sslmode=require&user=csvx&password=s3cret");
        assertThat(PostgresDb.jdbcUrl("jdbc:postgresql://127.0.0.1:5432/test?user=postgres"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        assertThatThrownBy(() -> PostgresDb.jdbcUrl("mysql://x/y")).hasMessageContaining("--database");
        assertThat(PostgresDb.redact("jdbc:postgresql://h/db?user=u&password=s3cret&x=1"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&x=1");
    }
}
