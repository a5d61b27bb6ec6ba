package io.csvx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.store.postgres.TestDatabase;
import io.csvx.testing.PostgresCondition;
import io.csvx.testing.Required;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `csvx bench-wire` run as users run it (its own process, which starts the server, the receiver
/// and wrk), every phase at its smallest: the benchmark still runs to its end and prints its
/// table with a figure in every row. Its figures are not judged (not a timed test). Needs wrk
/// (`apt-get install wrk`); without it the test is skipped with one line, and
/// `CSVX_TEST_REQUIRE_WRK=1` (set by `.ci/run`) makes that a failure. With PostgreSQL answering
/// (docs/testing.md) its burst runs there too.
class BenchWireTest {
    @TempDir
    Path dir;

    private static final String FIGURE = "[\\d,.]+";

    @Test
    void everyPhaseRunsToTheTableAtItsSmallest() throws Exception {
        requireWrk();
        boolean postgres = PostgresCondition.answers();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.csvx.Main", "bench-wire", "--seconds", "1",
                "--bursts", "1", "--warmup", "1", "--warmup-max", "1", "--steady-seconds", "1", "--rate", "200",
                "--endpoints", "2", "--stored", "2000", "--backlog", "2000"));
        if (postgres) {
            command.addAll(List.of("--database", TestDatabase.SERVER));
        }
        Path out = dir.resolve("bench-wire.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String printed = Files.readString(out);
        assertThat(ended).as("bench-wire ended within 5 minutes:%n%s", printed).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).containsPattern("\\| raw POST rate to the receiver \\(wrk\\) = R.* \\| " + FIGURE + "/s")
                .containsPattern("\\| deliveries/s, SQLite, wrk publishing 1 s x 2 endpoints \\| " + FIGURE + "/s = "
                        + FIGURE + " R \\| >= 0.4 R: (met|NOT MET) \\|")
                .containsPattern("\\| publish -> receipt at 200/s x 2 endpoints \\(wrk paced\\) \\| p50 " + FIGURE
                        + " ms, p99 " + FIGURE + " ms \\|")
                .containsPattern("\\| the burst with 2,000 messages and their attempts stored \\| publishes " + FIGURE
                        + "x, deliveries " + FIGURE + "x")
                .containsPattern("\\| a backlog of 2,000 due deliveries drains \\| " + FIGURE + "/s; first 20%: "
                        + FIGURE + "/s, last 20%: " + FIGURE + "/s \\|")
                .containsPattern("the kernel's DAMON monitor \\(kdamond\\)(: not running on this machine| meanwhile: "
                        + FIGURE + " cores, )")
                .containsPattern("CPU during the steady phase, in cores: server " + FIGURE + " \\(its SQLite writer"
                        + " thread " + FIGURE + "\\), receiver " + FIGURE + ", wrk " + FIGURE + "; server CPU per delivery "
                        + FIGURE + " µs, of it the writer's " + FIGURE + " µs")
                .containsPattern("server CPU per delivery " + FIGURE + " µs, of it the SQLite writer thread's "
                        + FIGURE + " µs; " + FIGURE + " KB allocated a delivery")
                .doesNotContain("NaN", "Infinity");
        if (postgres) {
            assertThat(printed).containsPattern("\\| the same burst on PostgreSQL, one node \\| " + FIGURE + "/s = "
                    + FIGURE + " R \\|").containsPattern("PostgreSQL's processes on this machine " + FIGURE + " µs");
        }
        // the servers' databases go at the end; their logs stay
        java.util.regex.Matcher logs = java.util.regex.Pattern.compile("logs in (\\S+?)[;\\n]").matcher(printed);
        assertThat(logs.find()).as(printed).isTrue();
        try (var left = Files.list(Path.of(logs.group(1)))) {
            assertThat(left.map(f -> f.getFileName().toString()).toList()).contains("receiver.log")
                    .noneMatch(name -> name.startsWith("data-"));
        }
    }

    private static void requireWrk() {
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            Required.missing("CSVX_TEST_REQUIRE_WRK", "the wire benchmark's run", "no /usr/bin/wrk",
                    " (apt-get install wrk; docs/testing.md).");
        }
    }
}
