package io.csvx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.csv.EdgeCases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `csvx convert` as a user runs it: exit codes, output files, nothing half-written on failure.
class ConvertCommandTest {
    @TempDir
    Path dir;

    @Test
    void convertsAFileToEachFormat() throws IOException {
        Path in = dir.resolve("orders.csv");
        Files.writeString(in, "id;customer\n1;\"Smith; Jo\"\n2;Ann\n", StandardCharsets.UTF_8);
        for (String format : new String[] {"json", "ndjson", "xml", "csv", "tsv"}) {
            Path out = dir.resolve("orders." + format);
            assertThat(Cli.run(new String[] {"convert", "--to", format, in.toString(), "-o", out.toString()}))
                    .as(format).isZero();
            assertThat(Files.readString(out)).as(format).contains("Smith; Jo");
        }
        assertThat(Files.readString(dir.resolve("orders.ndjson")))
                .isEqualTo("{\"id\":\"1\",\"customer\":\"Smith; Jo\"}\n{\"id\":\"2\",\"customer\":\"Ann\"}\n");
    }

    @Test
    void rfc4180EdgeCasesConvert() throws IOException {
        Path in = dir.resolve("edges.csv");
        Files.writeString(in, EdgeCases.CSV, StandardCharsets.UTF_8);
        Path out = dir.resolve("edges.ndjson");
        assertThat(Cli.run(new String[] {"convert", "--to", "ndjson", in.toString(), "-o", out.toString()})).isZero();
        assertThat(Files.readString(out)).isEqualTo(EdgeCases.NDJSON);
    }

    @Test
    void undecodableBytesPastTheSampleAreReportedAtTheirExactLine() throws IOException {
        Path in = dir.resolve("late.csv");
        byte[] bytes = ("a,b\n" + "1,\"x\ny\"\n".repeat(20_000) + "3,caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(in, bytes);
        var err = new java.io.ByteArrayOutputStream();
        var old = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Cli.run(new String[] {"convert", "--to", "json", in.toString(), "-o", dir.resolve("o.json").toString()}))
                    .isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        // 1 header line, 20,000 rows of two lines each: the bad row starts on line 40,002
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 40002: bytes that are not valid UTF-8");
    }

    @Test
    void malformedInputExitsNonZeroAndLeavesNoOutput() throws IOException {
        Path in = dir.resolve("bad.csv");
        Files.writeString(in, "a,b\n1,2\n3,\"open\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("bad.json");
        assertThat(Cli.run(new String[] {"convert", "--to", "json", in.toString(), "-o", out.toString()})).isEqualTo(1);
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("bad.json.partial")).doesNotExist();
    }

    @Test
    void badArgumentsExitWithUsageErrors() {
        assertThat(Cli.run(new String[] {"convert", "--to", "yaml", "x.csv"})).isEqualTo(2);
        assertThat(Cli.run(new String[] {"convert", "--to", "json", "--delimiter", "#", "x.csv"})).isEqualTo(2);
        assertThat(Cli.run(new String[] {"convert", "--to", "json", dir.resolve("missing.csv").toString()})).isEqualTo(1);
    }

    @Test
    void aDeclaredDelimiterOverridesSniffing() throws IOException {
        Path in = dir.resolve("pipes.csv");
        Files.writeString(in, "a|b,c\n1|2,3\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("pipes.json");
        assertThat(Cli.run(new String[] {"convert", "--to", "json", "--delimiter", ",", in.toString(), "-o", out.toString()}))
                .isZero();
        assertThat(Files.readString(out)).isEqualTo("[{\"a|b\":\"1|2\",\"c\":\"3\"}]\n");
    }

    @Test
    void aPipelineShapesTheOutputAndRejectedRowsGoToTheirOwnFile() throws IOException {
        Path in = dir.resolve("orders.csv");
        Files.writeString(in, "id,email,amount\n1,A@X.IO,5\n2,bad,7\n3,c@x.io,0\n", StandardCharsets.UTF_8);
        Path pipeline = dir.resolve("clean.json");
        Files.writeString(pipeline, """
                {"steps": [{"filter": "amount > 0"}, {"normalize": {"email": "lower"}},
                           {"validate": {"email": {"type": "email"}}}, {"select": ["id", "email"]}],
                 "output": {"format": "ndjson"}}""");
        Path out = dir.resolve("clean.ndjson");
        assertThat(Cli.run(new String[] {"convert", "--pipeline", pipeline.toString(), in.toString(), "-o", out.toString()}))
                .isZero();
        assertThat(Files.readString(out)).isEqualTo("{\"id\":\"1\",\"email\":\"a@x.io\"}\n");
        assertThat(Files.readString(dir.resolve("clean.ndjson.rejects.csv")))
                .isEqualTo("line,reason,id,email,amount\r\n3,email: 'bad' is not an email address,2,bad,7\r\n");
    }

    @Test
    void aBadPipelineIsRefusedNamingTheStep() throws IOException {
        Path in = dir.resolve("orders.csv");
        Files.writeString(in, "id,email\n1,a@x.io\n", StandardCharsets.UTF_8);
        Path pipeline = dir.resolve("bad.json");
        Files.writeString(pipeline, "{\"steps\": [{\"filter\": \"amount > 0\"}]}");
        assertThat(Cli.run(new String[] {"convert", "--to", "json", "--pipeline", pipeline.toString(), in.toString(),
                "-o", dir.resolve("x.json").toString()})).isEqualTo(1);
        assertThat(dir.resolve("x.json")).doesNotExist();
        Files.writeString(pipeline, "{\"steps\": [{\"sort\": []}]}");
        assertThat(Cli.run(new String[] {"convert", "--to", "json", "--pipeline", pipeline.toString(), in.toString()}))
                .isEqualTo(2);
    }

    @Test
    void aSortStepOrdersTheOutput() throws IOException {
        Path in = dir.resolve("orders.csv");
        Files.writeString(in, "id,amount\n1,10\n2,9.5\n3,100\n4,10\n", StandardCharsets.UTF_8);
        Path pipeline = dir.resolve("sorted.json");
        Files.writeString(pipeline, "{\"steps\": [{\"sort\": [{\"column\": \"amount\", \"order\": \"desc\"}]}]}");
        Path out = dir.resolve("sorted.csv");
        assertThat(Cli.run(new String[] {"convert", "--to", "csv", "--pipeline", pipeline.toString(), in.toString(),
                "-o", out.toString()})).isZero();
        assertThat(Files.readString(out)).isEqualTo("id,amount\r\n3,100\r\n1,10\r\n4,10\r\n2,9.5\r\n");
    }

    @Test
    void splitWritesNumberedChunksAfterSorting() throws IOException {
        Path in = dir.resolve("orders.csv");
        Files.writeString(in, "id,amount\n1,5\n2,4\n3,3\n4,2\n5,1\n", StandardCharsets.UTF_8);
        Path pipeline = dir.resolve("chunks.json");
        Files.writeString(pipeline, "{\"steps\": [{\"sort\": [\"amount\"]}, {\"split\": 2}], \"output\": {\"format\": \"json\"}}");
        Path out = dir.resolve("part.json");
        assertThat(Cli.run(new String[] {"convert", "--pipeline", pipeline.toString(), in.toString(), "-o", out.toString()}))
                .isZero();
        assertThat(Files.readString(dir.resolve("part-00001.json")))
                .isEqualTo("[{\"id\":\"5\",\"amount\":\"1\"},{\"id\":\"4\",\"amount\":\"2\"}]\n");
        assertThat(Files.readString(dir.resolve("part-00002.json")))
                .isEqualTo("[{\"id\":\"3\",\"amount\":\"3\"},{\"id\":\"2\",\"amount\":\"4\"}]\n");
        assertThat(Files.readString(dir.resolve("part-00003.json"))).isEqualTo("[{\"id\":\"1\",\"amount\":\"5\"}]\n");
        assertThat(dir.resolve("part-00004.json")).doesNotExist();
        assertThat(out).doesNotExist();
        // splitting needs files to split into
        assertThat(Cli.run(new String[] {"convert", "--pipeline", pipeline.toString(), in.toString()})).isEqualTo(2);
    }
}
