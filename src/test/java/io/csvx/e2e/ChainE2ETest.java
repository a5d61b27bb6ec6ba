package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// One upload flowing through two chained pipelines and ending in a chat notification.
class ChainE2ETest {
    @TempDir
    Path dir;

    @Test
    void anUploadFlowsThroughChainedPipelinesAndEndsInANotification() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            api.endpoint("acme", "{\"url\":\"" + receiver.url("/chat") + "\",\"eventTypes\":[\"job.completed\"],"
                    + "\"format\":{\"type\":\"slack\"}}");
            String clean = api.post("/api/v1/app/acme/pipeline", """
                    {"name": "clean", "uid": "clean", "trigger": "orders-*.csv",
                     "steps": [{"trim": []}, {"validate": {"email": {"type": "email"}}}],
                     "output": {"format": "csv"}}""").str("id");
            Api.Resp big = api.post("/api/v1/app/acme/pipeline", """
                    {"name": "big orders", "uid": "big",
                     "trigger": {"event": "job.completed", "pipeline": "clean"},
                     "steps": [{"filter": "amount > 10"}, {"select": ["id", "amount"]}],
                     "output": {"format": "ndjson"}}""");
            assertThat(big.status()).isEqualTo(201);
            assertThat(big.body().path("trigger").path("pipeline").asText()).isEqualTo(clean);

            String fileId = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=orders-1.csv",
                    "id,email,amount\n1, a@x.io ,50\n2,bad,70\n3,c@x.io,5\n", Map.of()).str("id");
            JsonNode first = JobE2ETest.awaitJob(api, fileId, "completed");
            String cleaned = first.path("outputFileIds").get(0).asText();
            JsonNode second = JobE2ETest.awaitJob(api, cleaned, "completed");
            assertThat(second.path("pipelineId").asText()).isEqualTo(big.str("id"));
            assertThat(api.get("/api/v1/app/acme/file/" + second.path("outputFileIds").get(0).asText() + "/content").text())
                    .isEqualTo("{\"id\":\"1\",\"amount\":\"50\"}\n");

            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/chat").size() == 2);
            List<String> texts = receiver.hits("/chat").stream()
                    .map(h -> readText(h.body())).sorted().toList();
            assertThat(texts).containsExactlyInAnyOrder(
                    "Job " + first.path("id").asText() + " completed. Rows read: 3, written: 2, rejected: 1, filtered out: 0",
                    "Job " + second.path("id").asText() + " completed. Rows read: 2, written: 1, rejected: 0, filtered out: 1");

            // loops and chains on output that is not CSV are refused when saved
            Api.Resp loop = api.put("/api/v1/app/acme/pipeline/clean", """
                    {"name": "clean", "uid": "clean", "trigger": {"event": "job.completed", "pipeline": "big"},
                     "steps": [], "output": {"format": "csv"}}""");
            assertThat(loop.status()).isEqualTo(422);
            assertThat(loop.body().path("detail").get(0).path("msg").asText()).contains("ndjson");
            Api.Resp self = api.put("/api/v1/app/acme/pipeline/clean", """
                    {"name": "clean", "uid": "clean", "trigger": {"event": "job.completed", "pipeline": "clean"},
                     "steps": [], "output": {"format": "csv"}}""");
            assertThat(self.status()).isEqualTo(422);
            assertThat(self.body().path("detail").get(0).path("msg").asText()).contains("loop");
        }
    }

    private static String readText(String body) {
        try {
            return Api.JSON.readTree(body).path("text").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
