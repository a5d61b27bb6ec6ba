package io.csvx.testing;

import io.csvx.store.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/// Runs the tests that need PostgreSQL (classes marked [RequiresPostgres], and every test of a run
/// with `-Dcsvx.test.postgres=true`) only when the server answers. Without one, a newcomer's
/// `./csvx test` still passes: the tests are skipped and one line says how to enable them.
/// `CSVX_TEST_REQUIRE_POSTGRES=1` (set by `.ci/run`) turns a missing server into a failure.
/// Registered for every test through the service loader (see junit-platform.properties).
public final class PostgresCondition implements ExecutionCondition {
    /// Whether the server answered, asked once per test JVM.
    private static final class Probe {
        static final String PROBLEM = probe();
        static final AtomicBoolean TOLD = new AtomicBoolean();

        private static String probe() {
            try (Connection c = DriverManager.getConnection(TestDatabase.SERVER)) {
                return c.isValid(5) ? null : "the server did not answer";
            } catch (SQLException e) {
                return e.getMessage();
            }
        }
    }

    /// Whether the server answers, for a test that only adds a PostgreSQL part when it does; under
    /// `CSVX_TEST_REQUIRE_POSTGRES=1` it must.
    public static boolean answers() {
        String problem = Probe.PROBLEM;
        if (problem != null) {
            failIfRequired(problem);
        }
        return problem == null;
    }

    private static void failIfRequired(String problem) {
        if ("1".equals(System.getenv("CSVX_TEST_REQUIRE_POSTGRES"))) {
            throw new IllegalStateException("PostgreSQL at " + where() + " is required (CSVX_TEST_REQUIRE_POSTGRES=1) but: "
                    + problem);
        }
    }

    private static String where() {
        return TestDatabase.SERVER.replaceAll("\\?.*", "");
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean needs = Boolean.getBoolean("csvx.test.postgres")
                || context.getTestClass().map(c -> c.isAnnotationPresent(RequiresPostgres.class)).orElse(false);
        if (!needs) {
            return ConditionEvaluationResult.enabled("needs no PostgreSQL");
        }
        String problem = Probe.PROBLEM;
        if (problem == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers");
        }
        failIfRequired(problem);
        String where = where();
        if (!Probe.TOLD.getAndSet(true)) {
            System.err.println("SKIPPED: tests that need PostgreSQL; none answers at " + where
                    + ". Start one there or set CSVX_TEST_DATABASE to a JDBC URL (docs/testing.md).");
        }
        return ConditionEvaluationResult.disabled("no PostgreSQL at " + where + ": " + problem);
    }
}
