package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.csvx.csv.EdgeCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MultiPart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// CSV uploads through the API, and the signed `file.uploaded` event they cause.
class FileE2ETest {
    @TempDir
    Path dir;

    private static final String CSV = "order_id;customer;amount\r\n1;\"Smith; Jo\";12.50\r\n2;Ann;7\r\n";

    @Test
    void anUploadIsDescribedStoredAndAnnouncedSigned() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            String ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/files") + "\",\"eventTypes\":[\"file.uploaded\"]}");

            Api.Resp up = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=orders.csv", CSV, Map.of());
            assertThat(up.status()).isEqualTo(201);
            assertThat(up.str("id")).startsWith("file_");
            assertThat(up.body().path("rows").asLong()).isEqualTo(2);
            assertThat(up.body().path("columns")).hasSize(3);
            assertThat(up.str("delimiter")).isEqualTo(";");
            assertThat(up.str("encoding")).isEqualTo("UTF-8");
            assertThat(up.body().path("size").asLong()).isEqualTo(CSV.length());
            assertThat(up.str("sha256")).hasSize(64);

            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/files").size() == 1);
            Receiver.Hit hit = receiver.hits("/files").getFirst();
            JsonNode event = Api.JSON.readTree(hit.body());
            assertThat(event.path("type").asText()).isEqualTo("file.uploaded");
            assertThat(event.path("data").path("file").path("id").asText()).isEqualTo(up.str("id"));
            assertThat(event.path("data").path("file").path("rows").asLong()).isEqualTo(2);
            String secret = api.get("/api/v1/app/acme/endpoint/" + ep + "/secret").str("key");
            assertThatCode(() -> new Webhook(secret).verify(hit.body(), DeliveryE2ETest.headersOf(hit)))
                    .doesNotThrowAnyException();

            assertThat(api.get("/api/v1/app/acme/file").body().path("data")).hasSize(1);
            JsonNode schema = api.get("/api/v1/event-type/file.uploaded").body().path("schemas").path("1");
            assertThat(schema.path("properties").path("data").path("properties").path("file").path("required"))
                    .extracting(JsonNode::asText).contains("sha256", "rows", "columns");
            assertThat(api.get("/api/v1/app/acme/file/" + up.str("id")).str("name")).isEqualTo("orders.csv");
            Api.Resp content = api.get("/api/v1/app/acme/file/" + up.str("id") + "/content");
            assertThat(content.text()).isEqualTo(CSV);
            assertThat(content.headers().get("content-disposition")).contains("orders.csv");
            assertThat(api.delete("/api/v1/app/acme/file/" + up.str("id")).status()).isEqualTo(204);
            assertThat(api.get("/api/v1/app/acme/file/" + up.str("id")).status()).isEqualTo(404);
            assertThat(dir.resolve("files").resolve(api.get("/api/v1/app/acme").str("id"))).isEmptyDirectory();

            // deleting the application removes its files' bytes too
            api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=again.csv", CSV, Map.of());
            String appId = api.get("/api/v1/app/acme").str("id");
            assertThat(api.delete("/api/v1/app/acme").status()).isEqualTo(204);
            assertThat(dir.resolve("files").resolve(appId)).doesNotExist();
        }
    }

    @Test
    void rfc4180EdgeCasesSurviveUploadAndAJob() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"as is\",\"uid\":\"as-is\",\"steps\":[]}");
            Api.Resp up = api.upload("/api/v1/app/acme/file?name=edges.csv&pipeline=as-is",
                    new StringRequestContent("text/csv", EdgeCases.CSV));
            assertThat(up.status()).isEqualTo(201);
            assertThat(up.body().path("rows").asLong()).isEqualTo(3);
            JsonNode job = JobE2ETest.awaitJob(api, up.str("id"), "completed");
            String out = job.path("outputFileIds").get(0).asText();
            assertThat(api.get("/api/v1/app/acme/file/" + out + "/content").text()).isEqualTo(EdgeCases.NDJSON);

            // bytes gone from the data dir: on PostgreSQL the node copies them back from the database;
            // on SQLite there is no other copy, and the answer is a 404 saying so, not a 500
            String appId = api.get("/api/v1/app/acme").str("id");
            try (var files = java.nio.file.Files.list(dir.resolve("files").resolve(appId))) {
                for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
            Api.Resp again = api.get("/api/v1/app/acme/file/" + up.str("id") + "/content");
            if (Boolean.getBoolean("csvx.test.postgres")) {
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.text()).isEqualTo(EdgeCases.CSV);
            } else {
                assertThat(again.status()).isEqualTo(404);
                assertThat(again.str("detail")).contains("are missing");
            }
        }
    }

    @Test
    void legacyBytesFallBackInvalidUtf8LaterIsRefusedNamingTheLineAndAHeaderOnlyFileRunsEmpty() {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            // non-UTF-8 bytes early on: a legacy 8-bit file, read as windows-1252
            byte[] latin = "a,b\n1,2\n3,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
            Api.Resp legacy = api.upload("/api/v1/app/acme/file?name=latin.csv", new BytesRequestContent("text/csv", latin));
            assertThat(legacy.status()).isEqualTo(201);
            assertThat(legacy.str("encoding")).isEqualTo("windows-1252");
            // a file that looked like UTF-8 for its first 64 KiB and then is not: refused, naming the line
            String clean = "a,b\n" + "1,2\n".repeat(20_000);
            byte[] bad = (clean + "3,caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
            Api.Resp refused = api.upload("/api/v1/app/acme/file?name=bad.csv", new BytesRequestContent("text/csv", bad));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.body().path("detail").get(0).path("msg").asText()).contains("line 20002").contains("UTF-8");

            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"as is\",\"uid\":\"as-is\",\"steps\":[]}");
            Api.Resp header = api.upload("/api/v1/app/acme/file?name=h.csv&pipeline=as-is",
                    new StringRequestContent("text/csv", "id,name\r\n"));
            assertThat(header.status()).isEqualTo(201);
            assertThat(header.body().path("rows").asLong()).isZero();
            JsonNode job = JobE2ETest.awaitJob(api, header.str("id"), "completed");
            assertThat(job.path("rowsWritten").asLong()).isZero();
            assertThat(api.get("/api/v1/app/acme/file/" + job.path("outputFileIds").get(0).asText() + "/content").text())
                    .isEmpty();
        }
    }

    @Test
    void malformedAndOversizedUploadsAreRefusedAndLeaveNothing() {
        try (TestNode node = TestNode.start(dir, c -> c.withMaxUpload(1000))) {
            Api api = node.api;
            api.app("acme");
            Api.Resp bad = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=bad.csv", "a,b\n1,2\n3,\"open\n", Map.of());
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body().path("detail").get(0).path("msg").asText()).contains("line 3").contains("unterminated");
            Api.Resp ragged = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=r.csv", "a,b\n1\n", Map.of());
            assertThat(ragged.status()).isEqualTo(422);
            Api.Resp empty = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=e.csv", "", Map.of());
            assertThat(empty.status()).isEqualTo(422);
            Api.Resp big = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=big.csv", "a\n" + "x\n".repeat(600), Map.of());
            assertThat(big.status()).isEqualTo(413);
            assertThat(api.call(HttpMethod.POST, "/api/v1/app/acme/file", "a\n1\n", Map.of()).status()).isEqualTo(422);
            // the same over-large file as a multipart form: 413 too, in the API's shape, naming no Jetty class
            MultiPartRequestContent form = new MultiPartRequestContent();
            form.addPart(new MultiPart.ContentSourcePart("file", "big.csv", HttpFields.build().put("Content-Type",
                    "text/csv"), new StringRequestContent("text/csv", "a\n" + "x\n".repeat(600))));
            form.close();
            Api.Resp bigForm = api.upload("/api/v1/app/acme/file", form);
            assertThat(bigForm.status()).isEqualTo(413);
            assertThat(bigForm.str("code")).isEqualTo("payload_too_large");
            assertThat(bigForm.text()).doesNotContain("jetty");
            // the server closes a connection whose body it refused unread: ask on a new one
            try (Api fresh = new Api("http://127.0.0.1:" + node.app.port(), TestNode.TOKEN)) {
                assertThat(fresh.get("/api/v1/app/acme/file").body().path("data")).isEmpty();
                assertThat(fresh.get("/api/v1/app/acme/msg").body().path("data")).isEmpty();
            }
        }
    }
}
