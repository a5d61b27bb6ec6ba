package io.csvx.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.csv.Names;
import io.csvx.message.Events;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/// What an endpoint receives: the message payload as published (raw JSON, the default), the
/// event as XML, a chat message for Slack- or Teams-style incoming webhooks, or a JSON body
/// rendered from the endpoint's own template. The signature is over the bytes sent.
public sealed interface OutgoingFormat {
    ObjectMapper JSON = new ObjectMapper();
    OutgoingFormat RAW = new Raw();

    /// A body and its content type.
    record Rendered(byte[] body, String contentType) {
    }

    Rendered render(String msgId, String eventType, String payload);

    /// `null`: the payload as published.
    record Raw() implements OutgoingFormat {
        @Override
        public Rendered render(String msgId, String eventType, String payload) {
            return new Rendered(payload.getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    /// `{"type": "xml"}`: `<event id="msg_…" type="job.completed">` holding the payload, one element
    /// per field (names made safe as in CSV-X's XML conversion, the original kept in `name="…"`
    /// when changed), arrays as
    /// repeated `<item>`, null as `nil="true"`.
    record Xml() implements OutgoingFormat {
        @Override
        public Rendered render(String msgId, String eventType, String payload) {
            try {
                StringWriter out = new StringWriter();
                XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
                x.writeStartDocument("UTF-8", "1.0");
                x.writeStartElement("event");
                x.writeAttribute("id", msgId);
                x.writeAttribute("type", eventType);
                JsonNode root = JSON.readTree(payload);
                if (root.isObject()) {
                    fields(x, root);
                } else {
                    value(x, "payload", root);
                }
                x.writeEndElement();
                x.writeEndDocument();
                x.close();
                return new Rendered((out + "\n").getBytes(StandardCharsets.UTF_8), "application/xml");
            } catch (XMLStreamException | JsonProcessingException e) {
                throw new IllegalStateException("cannot render the message as XML", e);
            }
        }

        private static void fields(XMLStreamWriter x, JsonNode object) throws XMLStreamException {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                value(x, e.getKey(), e.getValue());
            }
        }

        private static void value(XMLStreamWriter x, String name, JsonNode v) throws XMLStreamException {
            String safe = Names.element(name, 0);
            x.writeStartElement(safe);
            if (!safe.equals(name)) {
                x.writeAttribute("name", name);
            }
            if (v.isObject()) {
                fields(x, v);
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    value(x, "item", item);
                }
            } else if (v.isNull()) {
                x.writeAttribute("nil", "true");
            } else {
                x.writeCharacters(v.asText());
            }
            x.writeEndElement();
        }
    }

    /// `{"type": "slack", "templates": {"order.shipped": "Order {{data.id}} shipped"}}` (or
    /// `"teams"`): `{"text": "…"}`, which Slack's and Teams' incoming webhooks both show. CSV-X's
    /// own events have readable defaults; other types show the type and the payload.
    record Chat(Map<String, String> templates) implements OutgoingFormat {
        static final Map<String, String> DEFAULTS = Map.of(
                // "Rows: 1" reads right for any count, where "1 rows" would not
                Events.FILE_UPLOADED, "File {{data.file.name}} uploaded ({{data.file.id}}). Rows: {{data.file.rows}}",
                Events.JOB_STARTED, "Job {{data.job.id}} started on file {{data.job.fileId}}",
                Events.JOB_COMPLETED, "Job {{data.job.id}} completed. Rows read: {{data.job.rowsRead}}, written:"
                        + " {{data.job.rowsWritten}}, rejected: {{data.job.rowsRejected}}, filtered out:"
                        + " {{data.job.rowsSkipped}}",
                Events.JOB_FAILED, "Job {{data.job.id}} failed: {{data.job.error}}",
                Events.JOB_CANCELLED, "Job {{data.job.id}} was cancelled",
                Events.RECORDS_BATCH, "Job {{data.jobId}} sent batch {{data.batch}} of its rows, from row {{data.firstRow}}",
                Events.DATASET_CHANGED, "{{data.sentence}}",
                Events.JOB_ALERT, "Alert: {{data.alert}} ({{data.when}}) on job {{data.jobId}}");

        @Override
        public Rendered render(String msgId, String eventType, String payload) {
            JsonNode root = readOrText(payload);
            String template = templates.getOrDefault(eventType, DEFAULTS.get(eventType));
            String text;
            if (template != null) {
                text = Placeholders.interpolate(template, root, eventType);
            } else {
                String compact = root.toString();
                text = eventType + ": " + (compact.length() > 1000 ? compact.substring(0, 1000) + "…" : compact);
            }
            ObjectNode body = JSON.createObjectNode().put("text", text);
            return new Rendered(body.toString().getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    /// `{"type": "template", "template": {...}}`: the template with every `"{{path}}"` string
    /// replaced by the value there (kept as a number, object or array), and placeholders inside
    /// longer strings replaced by the value as text. Paths are dotted into the payload
    /// (`data.job.rowsWritten`, `data.rows.0.email`); `{{type}}` and `{{id}}` are the event type
    /// and the message id. A missing value is null (or empty inside text).
    record Template(JsonNode template) implements OutgoingFormat {
        @Override
        public Rendered render(String msgId, String eventType, String payload) {
            JsonNode root = readOrText(payload);
            JsonNode out = Placeholders.fill(template, root, eventType, msgId);
            return new Rendered(out.toString().getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    /// Reads a definition; [IllegalArgumentException] names the field at fault (`format.type: …`).
    static OutgoingFormat parse(JsonNode f) {
        if (f == null || f.isNull()) {
            return RAW;
        }
        if (!f.isObject()) {
            throw new IllegalArgumentException("format: an object such as {\"type\": \"xml\"}");
        }
        String type = f.path("type").asText("");
        return switch (type) {
            case "json", "raw" -> RAW;
            case "xml" -> new Xml();
            case "slack", "teams" -> {
                JsonNode t = f.get("templates");
                Map<String, String> templates = new HashMap<>();
                if (t != null && !t.isNull()) {
                    if (!t.isObject()) {
                        throw new IllegalArgumentException("format.templates: an object of event type to text");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> it = t.properties().iterator(); it.hasNext(); ) {
                        var e = it.next();
                        if (!e.getValue().isTextual()) {
                            throw new IllegalArgumentException("format.templates." + e.getKey() + ": must be text");
                        }
                        templates.put(e.getKey(), e.getValue().asText());
                    }
                }
                yield new Chat(Map.copyOf(templates));
            }
            case "template" -> {
                JsonNode t = f.get("template");
                if (t == null || !(t.isObject() || t.isArray())) {
                    throw new IllegalArgumentException("format.template: required, a JSON object or array with"
                            + " placeholders such as \"{{data.job.id}}\"");
                }
                yield new Template(t.deepCopy());
            }
            default -> throw new IllegalArgumentException("format.type: json, xml, slack, teams or template"
                    + (type.isEmpty() ? " (required)" : "; not '" + type + "'"));
        };
    }

    private static JsonNode readOrText(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(payload);
        }
    }
}
