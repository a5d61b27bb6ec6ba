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

/// An upload cleaned by one pipeline, reported on by a chained one ending in `aggregate`, with
/// alerts on both: the report file and the alerts arrive.
class ReportE2ETest {
    @TempDir
    Path dir;

    @Test
    void aChainedAggregateWritesTheReportAndItsAlertsArePublished() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            api.endpoint("acme", "{\"url\":\"" + receiver.url("/hook") + "\"}");
            api.endpoint("acme", "{\"url\":\"" + receiver.url("/chat") + "\",\"filterTypes\":[\"job.alert\"],"
                    + "\"format\":{\"type\":\"slack\"}}");
            Api.Resp clean = api.post("/api/v1/app/acme/pipeline", """
                    {"name": "clean", "uid": "clean", "trigger": "orders-*.csv",
                     "steps": [{"validate": {"amount": {"type": "decimal", "required": true}}}],
                     "output": {"format": "csv"},
                     "alerts": [{"name": "empty", "when": "rowsWritten = 0"},
                                {"name": "bad rows", "when": "rowsRejected > 0", "eventType": "orders.rejected"}]}""");
            assertThat(clean.status()).as(clean.text()).isEqualTo(201);
            assertThat(clean.body().path("alerts")).hasSize(2);
            Api.Resp report = api.post("/api/v1/app/acme/pipeline", """
                    {"name": "daily report", "uid": "report", "trigger": {"event": "job.completed", "pipeline": "clean"},
                     "steps": [{"aggregate": {"metrics": {"orders": "count()", "revenue": "sum(amount)",
                                                          "customers": "count_distinct(customer)"}}}],
                     "output": {"format": "csv"},
                     "alerts": [{"name": "quiet day", "when": "orders < 2"},
                                {"name": "big day", "when": "revenue > 100 and orders >= 3"}]}""");
            assertThat(report.status()).as(report.text()).isEqualTo(201);

            String fileId = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=orders-1.csv",
                    "id,customer,amount\n1,ann,50\n2,bob,oops\n3,ann,70.50\n4,cid,30\n", Map.of()).str("id");
            JsonNode first = JobE2ETest.awaitJob(api, fileId, "completed");
            JsonNode second = JobE2ETest.awaitJob(api, first.path("outputFileIds").get(0).asText(), "completed");
            assertThat(api.get("/api/v1/app/acme/file/" + second.path("outputFileIds").get(0).asText() + "/content").text())
                    .isEqualTo("orders,revenue,customers\r\n3,150.50,2\r\n");
            assertThat(second.path("result").path("aggregate").path("revenue").asText()).isEqualTo("150.50");

            await().atMost(Duration.ofSeconds(15)).until(() -> types(receiver).contains("orders.rejected")
                    && types(receiver).contains("job.alert"));
            JsonNode rejected = event(receiver, "orders.rejected");
            assertThat(rejected.path("alert").asText()).isEqualTo("bad rows");
            assertThat(rejected.path("jobId").asText()).isEqualTo(first.path("id").asText());
            assertThat(rejected.path("values").path("rowsRejected").asText()).isEqualTo("1");
            assertThat(rejected.path("figures").path("rejectedPercent").asText()).isEqualTo("25");
            JsonNode big = event(receiver, "job.alert");
            assertThat(big.path("alert").asText()).isEqualTo("big day");
            assertThat(big.path("values").toString()).isEqualTo("{\"revenue\":\"150.50\",\"orders\":\"3\"}");
            assertThat(big.path("aggregate").path("customers").asText()).isEqualTo("2");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/chat").size() == 1);
            assertThat(Api.JSON.readTree(receiver.hits("/chat").getFirst().body()).path("text").asText())
                    .isEqualTo("Alert: big day (revenue > 100 and orders >= 3) on job " + second.path("id").asText());
            // the alerts that did not hold published nothing: each was tried before the one that
            // did, and every message is stored before it is sent
            JsonNode stored = api.get("/api/v1/app/acme/msg?event_types=job.alert,orders.rejected").body().path("data");
            assertThat(stored).hasSize(2);

            // an alert naming what neither the job nor its aggregate has is refused when saved
            Api.Resp bad = api.post("/api/v1/app/acme/pipeline", """
                    {"name": "x", "steps": [{"aggregate": {"metrics": {"n": "count()"}}}],
                     "alerts": [{"name": "a", "when": "revenue > 1"}]}""");
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body().path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"alerts\"]");
            assertThat(bad.body().path("detail").get(0).path("msg").asText())
                    .contains("alerts[0].when: 'revenue' is neither a figure of the job").contains("(n)");
        }
    }

    private static List<String> types(Receiver receiver) {
        return receiver.hits("/hook").stream().map(h -> read(h.body()).path("type").asText()).toList();
    }

    private static JsonNode event(Receiver receiver, String type) {
        return receiver.hits("/hook").stream().map(h -> read(h.body())).filter(e -> e.path("type").asText().equals(type))
                .findFirst().orElseThrow().path("data");
    }

    private static JsonNode read(String body) {
        try {
            return Api.JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
