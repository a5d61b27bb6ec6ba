package io.csvx.testing;

import org.junit.jupiter.api.Assumptions;

/// What a test needs from the machine beyond a JDK and Maven (a browser, Node.js and the SDK,
/// wrk): without it the test is skipped with one line on standard error, and the variable
/// `.ci/run` sets (`CSVX_TEST_REQUIRE_…=1`) turns that into a failure.
public final class Required {
    private Required() {
    }

    /// Skips the calling test, saying which tests (`what`) and why (`problem`, then `remedy`), or
    /// fails it when `variable` is 1.
    public static void missing(String variable, String what, String problem, String remedy) {
        if ("1".equals(System.getenv(variable))) {
            throw new IllegalStateException(what + ": required (" + variable + "=1), but " + problem);
        }
        System.err.println("SKIPPED: " + what + "; " + problem + remedy);
        Assumptions.abort(problem);
    }
}
