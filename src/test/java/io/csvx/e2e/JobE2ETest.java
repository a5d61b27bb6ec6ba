package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Pipelines and jobs through the API: an upload that triggers a pipeline, the events it causes
/// arriving signed at a real receiver, outputs and rejected rows, failures, cancellation.
class JobE2ETest {
    @TempDir
    Path dir;

    private static final String ORDERS = """
            id,email,amount,country
            1, ANN@EXAMPLE.COM ,12.50,fr
            2,bob@example.com,0,de
            3,not-an-email,7,fr
            4,"Dee, Jr"" <dee@example.com>",3,fr
            5,eve@example.com,99.90,nl
            """;

    private static final String CLEAN_ORDERS = """
            {"name": "clean orders", "uid": "clean-orders",
             "steps": [{"trim": []}, {"normalize": {"email": "lower"}}, {"filter": "amount > 0"},
                       {"validate": {"email": {"type": "email", "required": true}}}, {"drop": ["country"]}],
             "output": {"format": "ndjson", "deliver": {"batchSize": 1}},
             "trigger": "orders-*.csv"}""";

    @Test
    void anUploadTriggersItsPipelineAndEveryEventArrivesSigned() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            String ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/hooks") + "\"}");
            Api.Resp pipeline = api.post("/api/v1/app/acme/pipeline", CLEAN_ORDERS);
            assertThat(pipeline.status()).isEqualTo(201);
            assertThat(pipeline.str("id")).startsWith("pl_");
            assertThat(pipeline.body().path("trigger").path("glob").asText()).isEqualTo("orders-*.csv");

            Api.Resp other = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=customers.csv", "id\n1\n", Map.of());
            assertThat(other.status()).isEqualTo(201);
            Api.Resp up = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=orders-2026.csv", ORDERS, Map.of());
            assertThat(up.status()).isEqualTo(201);
            String fileId = up.str("id");

            JsonNode job = awaitJob(api, fileId, "completed");
            assertThat(job.path("pipelineId").asText()).isEqualTo(pipeline.str("id"));
            assertThat(job.path("rowsRead").asLong()).isEqualTo(5);
            assertThat(job.path("rowsSkipped").asLong()).isEqualTo(1); // amount 0
            assertThat(job.path("rowsRejected").asLong()).isEqualTo(2); // not-an-email, and the display name
            assertThat(job.path("rowsWritten").asLong()).isEqualTo(2);
            assertThat(job.path("runs").asInt()).isEqualTo(1);
            assertThat(api.get("/api/v1/app/acme/job?fileId=" + other.str("id")).body().path("data")).isEmpty();
            assertThat(api.get("/metrics").text()).contains("csvx_jobs_total{status=\"completed\"} 1.0")
                    .contains("csvx_jobs_running");

            // the output and the rejected rows are files of the application
            String outId = job.path("outputFileIds").get(0).asText();
            Api.Resp out = api.get("/api/v1/app/acme/file/" + outId);
            assertThat(out.str("name")).isEqualTo("orders-2026.ndjson");
            assertThat(out.str("role")).isEqualTo("output");
            assertThat(out.str("jobId")).isEqualTo(job.path("id").asText());
            assertThat(out.body().path("rows").asLong()).isEqualTo(2);
            Api.Resp content = api.get("/api/v1/app/acme/file/" + outId + "/content");
            assertThat(content.headers().get("content-type")).startsWith("application/x-ndjson");
            assertThat(content.text()).isEqualTo("""
                    {"id":"1","email":"ann@example.com","amount":"12.50"}
                    {"id":"5","email":"eve@example.com","amount":"99.90"}
                    """);
            assertThat(out.body().path("size").asLong()).isEqualTo(content.text().getBytes(StandardCharsets.UTF_8).length);
            String rejects = api.get("/api/v1/app/acme/file/" + job.path("rejectsFileId").asText() + "/content").text();
            assertThat(rejects).startsWith("line,reason,id,email,amount,country").contains("4,email: ").contains("\n5,");
            assertThat(api.get("/api/v1/app/acme/file?jobId=" + job.path("id").asText()).body().path("data")).hasSize(2);

            // file.uploaded twice, job.started, two records.batch, job.completed: each signed
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hooks").size() == 6);
            String secret = api.get("/api/v1/app/acme/endpoint/" + ep + "/secret").str("key");
            List<String> types = new ArrayList<>();
            List<JsonNode> batches = new ArrayList<>();
            for (Receiver.Hit hit : receiver.hits("/hooks")) {
                assertThatCode(() -> new Webhook(secret).verify(hit.body(), DeliveryE2ETest.headersOf(hit)))
                        .doesNotThrowAnyException();
                JsonNode event = Api.JSON.readTree(hit.body());
                types.add(event.path("type").asText());
                if (event.path("type").asText().equals("records.batch")) {
                    batches.add(event.path("data"));
                }
                if (event.path("type").asText().equals("job.completed")) {
                    JsonNode j = event.path("data").path("job");
                    assertThat(j.path("status").asText()).isEqualTo("completed");
                    assertThat(j.path("outputFileIds").get(0).asText()).isEqualTo(outId);
                    assertThat(j.path("rowsWritten").asLong()).isEqualTo(2);
                }
            }
            assertThat(types).containsExactlyInAnyOrder("file.uploaded", "file.uploaded", "job.started", "records.batch",
                    "records.batch", "job.completed");
            assertThat(types.indexOf("job.started")).isLessThan(types.indexOf("job.completed"));
            batches.sort((a, b) -> a.path("batch").asInt() - b.path("batch").asInt());
            assertThat(batches.get(0).path("final").asBoolean()).isFalse();
            assertThat(batches.get(0).path("firstRow").asLong()).isEqualTo(1);
            assertThat(batches.get(0).path("rows").get(0).path("email").asText()).isEqualTo("ann@example.com");
            assertThat(batches.get(1).path("final").asBoolean()).isTrue();
            assertThat(batches.get(1).path("firstRow").asLong()).isEqualTo(2);
            assertThat(batches.get(1).path("jobId").asText()).isEqualTo(job.path("id").asText());

            // the job event types are registered with schemas
            for (String type : List.of("job.started", "job.completed", "job.failed", "job.cancelled", "records.batch")) {
                assertThat(api.get("/api/v1/event-type/" + type).body().path("schemas").path("1").path("properties")
                        .path("type").path("const").asText()).isEqualTo(type);
            }
        }
    }

    @Test
    void pipelinesAreCheckedNamingTheStepAndKeptAsGiven() {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            Api.Resp bad = api.post("/api/v1/app/acme/pipeline",
                    "{\"name\":\"x\",\"steps\":[{\"select\":[\"a\"]},{\"filter\":\"amount >\"}]}");
            assertThat(bad.status()).isEqualTo(422);
            JsonNode detail = bad.body().path("detail").get(0);
            assertThat(detail.path("loc").get(1).asText()).isEqualTo("steps");
            assertThat(detail.path("msg").asText()).contains("steps[1] (filter)");
            Api.Resp noSteps = api.post("/api/v1/app/acme/pipeline", "{\"trigger\": 3}");
            assertThat(noSteps.status()).isEqualTo(422);
            assertThat(noSteps.body().path("detail")).extracting(d -> d.path("loc").get(1).asText())
                    .contains("name", "steps", "trigger");
            Api.Resp badFormat = api.post("/api/v1/app/acme/pipeline",
                    "{\"name\":\"x\",\"steps\":[],\"output\":{\"format\":\"yaml\"}}");
            assertThat(badFormat.status()).isEqualTo(422);
            assertThat(badFormat.body().path("detail").get(0).path("loc").get(1).asText()).isEqualTo("output");

            Api.Resp created = api.post("/api/v1/app/acme/pipeline", CLEAN_ORDERS);
            assertThat(created.body().path("steps")).hasSize(5);
            assertThat(api.get("/api/v1/app/acme/pipeline/clean-orders").str("id")).isEqualTo(created.str("id"));
            Api.Resp replaced = api.put("/api/v1/app/acme/pipeline/clean-orders",
                    "{\"name\":\"only ids\",\"uid\":\"ids-only\",\"steps\":[{\"select\":[\"id\"]}]}");
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(replaced.body().path("trigger").isNull()).isTrue();
            assertThat(replaced.str("id")).isEqualTo(created.str("id"));
            assertThat(api.get("/api/v1/app/acme/pipeline").body().path("data")).hasSize(1);
            assertThat(api.post("/api/v1/app/acme/pipeline", CLEAN_ORDERS).status()).isEqualTo(201);
            assertThat(api.post("/api/v1/app/acme/pipeline", CLEAN_ORDERS).status()).isEqualTo(409);
            assertThat(api.delete("/api/v1/app/acme/pipeline/" + created.str("id")).status()).isEqualTo(204);
            assertThat(api.get("/api/v1/app/acme/pipeline/" + created.str("id")).status()).isEqualTo(404);
            Api.Resp noFile = api.post("/api/v1/app/acme/job", "{\"pipelineId\":\"clean-orders\",\"fileId\":\"file_x\"}");
            assertThat(noFile.status()).isEqualTo(422);
            assertThat(noFile.body().path("detail").get(0).path("loc").get(1).asText()).isEqualTo("fileId");
        }
    }

    @Test
    void aJobOverABrokenFileFailsNamingTheLine() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            String appId = api.app("acme");
            api.endpoint("acme", "{\"url\":\"" + receiver.url("/hooks") + "\",\"eventTypes\":[\"job.failed\"]}");
            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"all\",\"uid\":\"all\",\"steps\":[]}");
            String fileId = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=a.csv", "a,b\n1,2\n3,4\n", Map.of())
                    .str("id");
            // the stored bytes go bad behind the server's back (a file fetched from elsewhere can be like this)
            Files.writeString(dir.resolve("files").resolve(appId).resolve(fileId + ".csv"), "a,b\n1,2\n3,\"4\n");
            Api.Resp job = api.post("/api/v1/app/acme/job", "{\"pipelineId\":\"all\",\"fileId\":\"" + fileId + "\"}");
            assertThat(job.status()).isEqualTo(202);
            assertThat(job.str("status")).isEqualTo("queued");
            JsonNode failed = awaitJob(api, fileId, "failed");
            assertThat(failed.path("errorLine").asLong()).isEqualTo(3);
            assertThat(failed.path("error").asText()).contains("line 3");
            assertThat(failed.path("outputFileIds")).isEmpty();
            assertThat(dir.resolve("files").resolve(appId).resolve(failed.path("id").asText())).doesNotExist();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hooks").size() == 1);
            JsonNode event = Api.JSON.readTree(receiver.hits("/hooks").getFirst().body());
            assertThat(event.path("type").asText()).isEqualTo("job.failed");
            assertThat(event.path("data").path("job").path("errorLine").asLong()).isEqualTo(3);

            // a pipeline naming a column the file lacks fails too, saying which
            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"c\",\"uid\":\"c\",\"steps\":[{\"select\":[\"nope\"]}]}");
            String ok = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=b.csv&pipeline=c", "a,b\n1,2\n", Map.of())
                    .str("id");
            assertThat(awaitJob(api, ok, "failed").path("error").asText()).contains("nope");
        }
    }

    @Test
    void aSortedSplitOutputIsSeveralNumberedFiles() {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"chunks\",\"uid\":\"chunks\",\"steps\":"
                    + "[{\"select\":[\"id\",\"amount\"]},{\"sort\":[{\"column\":\"amount\",\"order\":\"desc\"}]},"
                    + "{\"split\":2}],\"output\":{\"format\":\"csv\"}}");
            String fileId = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=orders.csv&pipeline=chunks", ORDERS,
                    Map.of()).str("id");
            JsonNode job = awaitJob(api, fileId, "completed");
            assertThat(job.path("outputFileIds")).hasSize(3);
            List<String> names = new ArrayList<>();
            StringBuilder all = new StringBuilder();
            for (JsonNode id : job.path("outputFileIds")) {
                Api.Resp f = api.get("/api/v1/app/acme/file/" + id.asText());
                names.add(f.str("name"));
                assertThat(f.str("format")).isEqualTo("csv");
                all.append(api.get("/api/v1/app/acme/file/" + id.asText() + "/content").text());
            }
            assertThat(names).containsExactly("orders-00001.csv", "orders-00002.csv", "orders-00003.csv");
            assertThat(all.toString().replace("\r\n", "|")).isEqualTo(
                    "id,amount|5,99.90|1,12.50|id,amount|3,7|4,3|id,amount|2,0|");
        }
    }

    @Test
    void aQueuedJobCancelsAtOnceAndAFinishedOneCannot() {
        try (TestNode node = TestNode.start(dir, c -> c.withJobs(0))) { // a node that leaves jobs to others
            Api api = node.api;
            api.app("acme");
            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"all\",\"uid\":\"all\",\"steps\":[]}");
            String fileId = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=a.csv&pipeline=all", "a\n1\n", Map.of())
                    .str("id");
            JsonNode queued = api.get("/api/v1/app/acme/job?fileId=" + fileId).body().path("data").get(0);
            assertThat(queued.path("status").asText()).isEqualTo("queued");
            String path = "/api/v1/app/acme/job/" + queued.path("id").asText();
            Api.Resp cancelled = api.post(path + "/cancel", "{}");
            assertThat(cancelled.status()).isEqualTo(202);
            assertThat(cancelled.str("status")).isEqualTo("cancelled");
            assertThat(api.post(path + "/cancel", "{}").status()).isEqualTo(409);
            assertThat(api.get("/api/v1/app/acme/msg?event_types=job.cancelled").body().path("data")).hasSize(1);
            assertThat(api.get("/api/v1/app/acme/job?status=bogus").status()).isEqualTo(422);
        }
    }

    @Test
    void aMultipartUploadIsTheSameAsARawOne() {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            MultiPartRequestContent form = new MultiPartRequestContent();
            form.addPart(new org.eclipse.jetty.http.MultiPart.ContentSourcePart("file", "orders.csv",
                    HttpFields.build().put("Content-Type", "text/csv"), new StringRequestContent("text/csv", ORDERS)));
            form.close();
            Api.Resp up = api.upload("/api/v1/app/acme/file", form);
            assertThat(up.status()).isEqualTo(201);
            assertThat(up.str("name")).isEqualTo("orders.csv");
            assertThat(up.body().path("rows").asLong()).isEqualTo(5);
            assertThat(api.get("/api/v1/app/acme/file/" + up.str("id") + "/content").text()).isEqualTo(ORDERS);

            MultiPartRequestContent wrong = new MultiPartRequestContent();
            wrong.addPart(new org.eclipse.jetty.http.MultiPart.ContentSourcePart("data", "orders.csv",
                    HttpFields.EMPTY, new StringRequestContent("text/csv", ORDERS)));
            wrong.close();
            Api.Resp missing = api.upload("/api/v1/app/acme/file", wrong);
            assertThat(missing.status()).isEqualTo(422);
            assertThat(missing.body().path("detail").get(0).path("msg").asText()).contains("'file'");
        }
    }

    /// Waits for the first job of a file to reach `status`, and returns it.
    static JsonNode awaitJob(Api api, String fileId, String status) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode data = api.get("/api/v1/app/acme/job?fileId=" + fileId).body().path("data");
            job[0] = data.isEmpty() ? null : data.get(0);
            return job[0] != null && job[0].path("status").asText().equals(status);
        });
        return job[0];
    }
}
