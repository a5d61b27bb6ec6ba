package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/// Each outgoing format as a receiver reads it, and the definitions refused when saved.
class OutgoingFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPLETED = """
            {"type": "job.completed", "timestamp": "2026-12-01T10:00:00Z",
             "data": {"job": {"id": "job_1", "rowsRead": 1, "rowsWritten": 1, "rowsRejected": 0, "rowsSkipped": 0}}}""";

    private static String text(OutgoingFormat.Rendered r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static OutgoingFormat format(String json) throws Exception {
        return OutgoingFormat.parse(JSON.readTree(json));
    }

    @Test
    void rawSendsThePayloadByteForByte() {
        String payload = "{\"b\": 1,  \"a\": [2]}";
        OutgoingFormat.Rendered r = OutgoingFormat.parse(null).render("msg_1", "t", payload);
        assertThat(text(r)).isEqualTo(payload);
        assertThat(r.contentType()).isEqualTo("application/json");
    }

    @Test
    void chatTextReadsRightForOneRowAndTemplatesWinOverDefaults() throws Exception {
        JsonNode slack = JSON.readTree(text(format("{\"type\": \"slack\"}").render("msg_1", "job.completed", COMPLETED)));
        assertThat(slack.path("text").asText())
                .isEqualTo("Job job_1 completed. Rows read: 1, written: 1, rejected: 0, filtered out: 0");
        OutgoingFormat custom = format("{\"type\": \"teams\", \"templates\": {\"order.shipped\": \"Order {{data.id}} shipped\"}}");
        assertThat(JSON.readTree(text(custom.render("msg_2", "order.shipped", "{\"data\": {\"id\": 7}}"))).path("text")
                .asText()).isEqualTo("Order 7 shipped");
    }

    @Test
    void templatesKeepTypesAndKnowTheMessage() throws Exception {
        OutgoingFormat t = format("""
                {"type": "template", "template": {"event": "{{type}}", "id": "{{id}}", "rows": "{{data.job.rowsRead}}",
                 "line": "job {{data.job.id}} read {{data.job.rowsRead}}", "missing": "{{data.nope}}"}}""");
        JsonNode out = JSON.readTree(text(t.render("msg_3", "job.completed", COMPLETED)));
        assertThat(out.path("event").asText()).isEqualTo("job.completed");
        assertThat(out.path("id").asText()).isEqualTo("msg_3");
        assertThat(out.path("rows").isInt()).isTrue(); // a placeholder alone keeps the value's JSON type
        assertThat(out.path("line").asText()).isEqualTo("job job_1 read 1");
        assertThat(out.path("missing").isNull()).isTrue();
    }

    @Test
    void xmlIsWellFormedWithTheMessageId() throws Exception {
        String xml = text(format("{\"type\": \"xml\"}").render("msg_4", "job.completed", COMPLETED));
        assertThat(xml).startsWith("<?xml").contains("job_1").contains("msg_4");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badDefinitionsNameTheField() {
        assertThatThrownBy(() -> format("{\"type\": \"fax\"}")).hasMessageStartingWith("format.type:");
        assertThatThrownBy(() -> format("{\"type\": \"template\"}")).hasMessageStartingWith("format.template:");
        assertThatThrownBy(() -> format("{\"type\": \"slack\", \"templates\": {\"a\": 1}}"))
                .hasMessageStartingWith("format.templates.a:");
        assertThatThrownBy(() -> format("\"xml\"")).hasMessageStartingWith("format:");
    }
}
