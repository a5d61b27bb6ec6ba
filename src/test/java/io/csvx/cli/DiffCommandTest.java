package io.csvx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `csvx diff` as a user runs it: the diff file, the summary, exit codes, nothing half-written.
class DiffCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Cli.run(args);
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void writesTheDiffFileAndSaysWhatChanged() throws IOException {
        Path older = Files.writeString(dir.resolve("orders-11-30.csv"), "order_id,amount,status\n1,10,open\n2,20,open\n");
        Path newer = Files.writeString(dir.resolve("orders-12-01.csv"), "order_id,status,amount\n2,paid,20\n3,open,5\n");
        Path out = dir.resolve("changes.ndjson");
        assertThat(run("diff", older.toString(), newer.toString(), "--key", "order_id", "--format", "ndjson", "-o",
                out.toString())).isZero();
        assertThat(Files.readString(out)).isEqualTo("""
                {"key":{"order_id":"1"},"change":"removed"}
                {"key":{"order_id":"2"},"change":"changed","columns":{"status":{"old":"open","new":"paid"}}}
                {"key":{"order_id":"3"},"change":"added"}
                """);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "orders-11-30.csv -> orders-12-01.csv: 1 added, 1 removed, 1 changed (status 1), 0 unchanged\n");

        Path summary = dir.resolve("summary.json");
        assertThat(run("diff", older.toString(), newer.toString(), "--key", "order_id", "--format", "json", "-o",
                summary.toString())).isZero();
        assertThat(Files.readString(summary)).startsWith("{\"key\":[\"order_id\"],\"added\":1,\"removed\":1,\"changed\":1,");
    }

    @Test
    void aDuplicateKeyExitsOneNamingTheFileAndLinesAndLeavesNoOutput() throws IOException {
        Path older = Files.writeString(dir.resolve("a.csv"), "id,v\n1,x\n");
        Path newer = Files.writeString(dir.resolve("b.csv"), "id,v\n1,x\n1,y\n");
        Path out = dir.resolve("changes.csv");
        assertThat(run("diff", older.toString(), newer.toString(), "--key", "id", "-o", out.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("csvx diff: " + newer + ": line 3: the key id=1 is on line 2 too: a key must name one row\n");
        try (var files = Files.list(dir)) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("a.csv", "b.csv");
        }
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Path older = Files.writeString(dir.resolve("a.csv"), "id,v\n1,x\n");
        assertThat(run("diff", older.toString(), older.toString(), "--key", "id", "--format", "xml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("csvx diff: --format is csv, ndjson or json, not 'xml'\n");
    }
}
