package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.client.PathRequestContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Jobs outlive the node running them: a crash mid-job resumes it on the next node, and a
/// running job stops when cancelled. A sorted 400,000-row file keeps a job busy long enough.
class JobRecoveryE2ETest {
    private static final int ROWS = 400_000;
    private static final String SORTED = "{\"name\":\"by amount\",\"uid\":\"sorted\",\"steps\":[{\"filter\":\"amount >= 0\"},"
            + "{\"sort\":[{\"column\":\"amount\",\"order\":\"desc\"}]}],\"output\":{\"format\":\"csv\"}}";

    @TempDir
    Path dir;

    @Test
    void aJobRunningAtACrashIsResumedByTheNextNode() throws Exception {
        Path csv = bigCsv();
        String fileId;
        try (TestNode first = TestNode.start(dir)) {
            first.api.app("acme");
            first.api.post("/api/v1/app/acme/pipeline", SORTED);
            fileId = first.api.upload("/api/v1/app/acme/file?name=big.csv&pipeline=sorted",
                    new PathRequestContent("text/csv", csv)).str("id");
            JobE2ETest.awaitJob(first.api, fileId, "running");
            first.crash();
        }
        try (TestNode second = TestNode.start(dir)) {
            JsonNode job = JobE2ETest.awaitJob(second.api, fileId, "completed");
            assertThat(job.path("runs").asInt()).isEqualTo(2);
            assertThat(job.path("rowsRead").asLong()).isEqualTo(ROWS);
            assertThat(job.path("rowsWritten").asLong()).isEqualTo(ROWS);
            String out = job.path("outputFileIds").get(0).asText();
            assertThat(second.api.get("/api/v1/app/acme/file/" + out).body().path("rows").asLong()).isEqualTo(ROWS);
            String appId = second.api.get("/api/v1/app/acme").str("id");
            Path jobDir = dir.resolve("files").resolve(appId).resolve(job.path("id").asText());
            try (var lines = Files.lines(jobDir.resolve(out + ".csv"))) {
                assertThat(lines.limit(3).toList()).containsExactly("id,customer,amount",
                        (ROWS - 1) + ",customer " + (ROWS - 1) + "," + (ROWS - 1) + ".99",
                        (ROWS - 2) + ",customer " + (ROWS - 2) + "," + (ROWS - 2) + ".99");
            }
            // the resumed job announced its start once and its end once
            await().atMost(Duration.ofSeconds(10)).until(() -> count(second.api, "job.completed") == 1);
            assertThat(count(second.api, "job.started")).isEqualTo(1);
            // only the finished run's output is left on disk
            try (var files = Files.list(jobDir)) {
                assertThat(files.toList()).hasSize(1);
            }
        }
    }

    @Test
    void aRunningJobStopsWhenCancelled() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            Started started = startSorting(node);
            String appId = started.appId();
            String fileId = started.fileId();
            JsonNode running = started.job();
            Api.Resp cancel = node.api.post("/api/v1/app/acme/job/" + running.path("id").asText() + "/cancel", "{}");
            assertThat(cancel.status()).isEqualTo(202);
            assertThat(cancel.body().path("cancelRequested").asBoolean()).isTrue();
            JsonNode cancelled = JobE2ETest.awaitJob(node.api, fileId, "cancelled");
            assertThat(cancelled.path("outputFileIds")).isEmpty();
            assertThat(cancelled.path("rowsWritten").asLong()).isLessThan(ROWS);
            assertThat(dir.resolve("files").resolve(appId).resolve(running.path("id").asText())).doesNotExist();
            await().atMost(Duration.ofSeconds(10)).until(() -> count(node.api, "job.cancelled") == 1);
        }
    }

    @Test
    void deletingAnApplicationStopsItsRunningJobAndLeavesNothingOfIt() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            String appId = startSorting(node).appId();
            assertThat(node.api.delete("/api/v1/app/acme").status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(60)).until(() -> node.api.get("/metrics").text()
                    .contains("csvx_jobs_running 0.0"));
            // the delete cancels the job; once its rows are removed, how it ended is not recorded,
            // so this sees no failure and nothing left where the application's files were (a job
            // left to run on, as before, ends the same, only later: not told apart here)
            assertThat(jobs(node, "failed")).isZero();
            assertThat(dir.resolve("files").resolve(appId)).doesNotExist();
        }
    }

    /// The application, its big file and the job sorting it, running.
    private record Started(String appId, String fileId, JsonNode job) {
    }

    /// Makes the application `acme`, uploads the big file to it and waits until its job runs.
    private Started startSorting(TestNode node) throws IOException {
        node.api.app("acme");
        String appId = node.api.get("/api/v1/app/acme").str("id");
        node.api.post("/api/v1/app/acme/pipeline", SORTED);
        String fileId = node.api.upload("/api/v1/app/acme/file?name=big.csv&pipeline=sorted",
                new PathRequestContent("text/csv", bigCsv())).str("id");
        return new Started(appId, fileId, JobE2ETest.awaitJob(node.api, fileId, "running"));
    }

    /// How many jobs ended so on this node, from its `/metrics`.
    private static double jobs(TestNode node, String status) {
        return node.api.get("/metrics").text().lines()
                .filter(l -> l.startsWith("csvx_jobs_total{") && l.contains("status=\"" + status + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static int count(Api api, String eventType) {
        return api.get("/api/v1/app/acme/msg?event_types=" + eventType).body().path("data").size();
    }

    private Path bigCsv() throws IOException {
        Path csv = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("id,customer,amount\n");
            for (int i = 0; i < ROWS; i++) {
                w.write(i + ",customer " + i + "," + i + ".99\n");
            }
        }
        return csv;
    }
}
