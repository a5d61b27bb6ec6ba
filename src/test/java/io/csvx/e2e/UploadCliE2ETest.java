package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `csvx upload` against a running node: upload, the triggered job followed to its end, the outputs downloaded.
class UploadCliE2ETest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run csvx(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.commandLine(args).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void uploadWaitsForTheTriggeredJobAndDownloadsItsOutputs() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("server"))) {
            node.api.app("acme");
            node.api.post("/api/v1/app/acme/pipeline", """
                    {"name": "clean", "uid": "clean", "trigger": "orders*.csv",
                     "steps": [{"validate": {"email": {"type": "email"}}}], "output": {"format": "json"}}""");
            Path csv = Files.writeString(dir.resolve("orders.csv"), "id,email\n1,a@example.com\n2,nope\n");
            String url = "http://127.0.0.1:" + node.app.port();
            Path outputs = dir.resolve("out");

            Run run = csvx("upload", csv.toString(), "--app", "acme", "--url", url, "--token", TestNode.TOKEN,
                    "-o", outputs.toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("Uploaded orders.csv as file_").contains("2 rows, 2 columns")
                    .contains("completed: 2 rows read, 1 written, 0 filtered out, 1 rejected")
                    .contains("output   orders.json").contains("rejects  orders.rejects.csv");
            assertThat(Files.readString(outputs.resolve("orders.json")))
                    .isEqualTo("[{\"id\":\"1\",\"email\":\"a@example.com\"}]\n");
            assertThat(Files.readString(outputs.resolve("orders.rejects.csv"))).startsWith("line,reason,id,email")
                    .contains("3,email: 'nope' is not an email address,2,nope");

            // an explicit pipeline that fails makes a non-zero exit naming the error
            node.api.post("/api/v1/app/acme/pipeline", "{\"name\":\"bad\",\"uid\":\"bad\",\"steps\":[{\"select\":[\"x\"]}]}");
            Run failed = csvx("upload", csv.toString(), "--app", "acme", "--url", url, "--token", TestNode.TOKEN,
                    "--name", "other.csv", "--pipeline", "bad", "--wait");
            assertThat(failed.exit()).isEqualTo(1);
            assertThat(failed.out()).contains("failed: pipeline: ").contains("'x'");

            Run noApp = csvx("upload", csv.toString(), "--app", "nope", "--url", url, "--token", TestNode.TOKEN);
            assertThat(noApp.exit()).isEqualTo(1);
            assertThat(noApp.err()).contains("404").contains("nope");
            Run noFile = csvx("upload", dir.resolve("missing.csv").toString(), "--app", "acme", "--url", url,
                    "--token", TestNode.TOKEN);
            assertThat(noFile.exit()).isEqualTo(2);
            assertThat(noFile.err()).contains("no such file");
        }
    }
}
