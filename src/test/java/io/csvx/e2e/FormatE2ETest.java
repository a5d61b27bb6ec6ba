package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/// Outgoing formats per endpoint: each checked by parsing what a receiver got, signature included.
class FormatE2ETest {
    @TempDir
    Path dir;

    private static final String EVENT = """
            {"type": "job.completed", "timestamp": "2026-11-27T00:00:00Z",
             "data": {"job": {"id": "job_1", "status": "completed", "rowsRead": 5, "rowsWritten": 3, "rowsSkipped": 1,
                              "rowsRejected": 1, "outputFileIds": ["file_a", "file_b"], "error": null,
                              "Order ID": "x<&>"}}}""";

    @Test
    void xmlChatAndTemplateEndpointsReceiveWhatTheyAskForSigned() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            String xml = api.endpoint("acme", "{\"url\":\"" + receiver.url("/xml") + "\",\"format\":{\"type\":\"xml\"}}");
            String chat = api.endpoint("acme", "{\"url\":\"" + receiver.url("/chat") + "\",\"format\":{\"type\":\"slack\"}}");
            String crm = api.endpoint("acme", "{\"url\":\"" + receiver.url("/crm") + "\",\"format\":{\"type\":\"template\","
                    + "\"template\":{\"externalId\":\"{{data.job.id}}\",\"count\":\"{{data.job.rowsWritten}}\","
                    + "\"files\":\"{{data.job.outputFileIds}}\",\"first\":\"{{data.job.outputFileIds.0}}\","
                    + "\"summary\":\"{{type}}: {{data.job.rowsWritten}} of {{data.job.rowsRead}}\",\"missing\":\"{{data.nope}}\"}}}");
            String raw = api.endpoint("acme", "{\"url\":\"" + receiver.url("/raw") + "\"}");
            assertThat(api.get("/api/v1/app/acme/endpoint/" + xml).body().path("format").path("type").asText())
                    .isEqualTo("xml");
            assertThat(api.get("/api/v1/app/acme/endpoint/" + raw).body().path("format").isNull()).isTrue();

            String msg = api.publish("acme", "job.completed", EVENT);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits().size() == 4);

            Receiver.Hit x = receiver.hits("/xml").getFirst();
            assertThat(x.header("content-type")).startsWith("application/xml");
            verify(api, xml, x);
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(x.body().getBytes(StandardCharsets.UTF_8)));
            Element root = doc.getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("event");
            assertThat(root.getAttribute("id")).isEqualTo(msg);
            assertThat(root.getAttribute("type")).isEqualTo("job.completed");
            Element job = (Element) root.getElementsByTagName("job").item(0);
            assertThat(job.getElementsByTagName("rowsWritten").item(0).getTextContent()).isEqualTo("3");
            assertThat(job.getElementsByTagName("item").getLength()).isEqualTo(2);
            Element renamed = (Element) job.getElementsByTagName("Order_ID").item(0);
            assertThat(renamed.getAttribute("name")).isEqualTo("Order ID");
            assertThat(renamed.getTextContent()).isEqualTo("x<&>");
            assertThat(((Element) job.getElementsByTagName("error").item(0)).getAttribute("nil")).isEqualTo("true");

            Receiver.Hit c = receiver.hits("/chat").getFirst();
            verify(api, chat, c);
            assertThat(Api.JSON.readTree(c.body()).path("text").asText())
                    .isEqualTo("Job job_1 completed. Rows read: 5, written: 3, rejected: 1, filtered out: 1");

            Receiver.Hit t = receiver.hits("/crm").getFirst();
            verify(api, crm, t);
            JsonNode body = Api.JSON.readTree(t.body());
            assertThat(body.path("externalId").asText()).isEqualTo("job_1");
            assertThat(body.path("count").isInt()).isTrue();
            assertThat(body.path("count").asInt()).isEqualTo(3);
            assertThat(body.path("files")).hasSize(2);
            assertThat(body.path("first").asText()).isEqualTo("file_a");
            assertThat(body.path("summary").asText()).isEqualTo("job.completed: 3 of 5");
            assertThat(body.path("missing").isNull()).isTrue();

            Receiver.Hit r = receiver.hits("/raw").getFirst();
            assertThat(Api.JSON.readTree(r.body())).isEqualTo(Api.JSON.readTree(EVENT));

            // a format that does not make sense is refused naming the field; PATCH sets and clears it
            Api.Resp bad = api.post("/api/v1/app/acme/endpoint", "{\"url\":\"http://127.0.0.1:9/x\",\"format\":{\"type\":\"yaml\"}}");
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body().path("detail").get(0).path("msg").asText()).startsWith("format.type");
            assertThat(api.patch("/api/v1/app/acme/endpoint/" + raw, "{\"format\":{\"type\":\"teams\",\"templates\":"
                    + "{\"order.shipped\":\"Order {{data.id}} shipped\"}}}").body().path("format").path("type").asText())
                    .isEqualTo("teams");
            assertThat(api.patch("/api/v1/app/acme/endpoint/" + raw, "{\"format\":null}").body().path("format").isNull())
                    .isTrue();
        }
    }

    private static void verify(Api api, String endpointId, Receiver.Hit hit) {
        String secret = api.get("/api/v1/app/acme/endpoint/" + endpointId + "/secret").str("key");
        assertThatCode(() -> new Webhook(secret).verify(hit.body(), DeliveryE2ETest.headersOf(hit)))
                .doesNotThrowAnyException();
    }
}
