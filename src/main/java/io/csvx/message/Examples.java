package io.csvx.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/// An example payload for an event type: one of its schema's `examples`, or one made from the
/// schema itself (every property present, strings and numbers of the right type and format).
final class Examples {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 12;

    private Examples() {
    }

    /// The example at `index` of the newest schema version, or one made from that schema when it
    /// lists none and `index` is 0; empty when the event type has no schema, or no such example.
    static Optional<JsonNode> of(String schemasJson, int index, ObjectMapper json) {
        if (schemasJson == null) {
            return Optional.empty();
        }
        JsonNode schemas;
        try {
            schemas = json.readTree(schemasJson);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        JsonNode newest = null;
        int newestVersion = Integer.MIN_VALUE;
        for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int version;
            try {
                version = Integer.parseInt(e.getKey());
            } catch (NumberFormatException notAVersion) {
                version = 0;
            }
            if (version >= newestVersion && e.getValue().isObject()) {
                newest = e.getValue();
                newestVersion = version;
            }
        }
        if (newest == null) {
            return Optional.empty();
        }
        JsonNode examples = newest.get("examples");
        if (examples != null && examples.isArray() && !examples.isEmpty()) {
            return index < examples.size() ? Optional.of(examples.get(index)) : Optional.empty();
        }
        return index == 0 ? Optional.of(make(newest, 0)) : Optional.empty();
    }

    private static JsonNode make(JsonNode schema, int depth) {
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("default")) {
            return schema.get("default");
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray() && !en.isEmpty()) {
            return en.get(0);
        }
        JsonNode ex = schema.get("examples");
        if (ex != null && ex.isArray() && !ex.isEmpty()) {
            return ex.get(0);
        }
        JsonNode type = schema.get("type");
        String t = type == null ? (schema.has("properties") ? "object" : "string")
                : type.isArray() ? firstNonNull((ArrayNode) type) : type.asText();
        if (depth > MAX_DEPTH) {
            return NODES.nullNode();
        }
        return switch (t) {
            case "object" -> {
                ObjectNode o = NODES.objectNode();
                JsonNode props = schema.get("properties");
                if (props != null) {
                    props.fields().forEachRemaining(p -> o.set(p.getKey(), make(p.getValue(), depth + 1)));
                }
                yield o;
            }
            case "array" -> {
                ArrayNode a = NODES.arrayNode();
                JsonNode items = schema.get("items");
                if (items != null && items.isObject()) {
                    a.add(make(items, depth + 1));
                }
                yield a;
            }
            case "integer" -> NODES.numberNode(schema.path("minimum").asLong(1));
            case "number" -> NODES.numberNode(schema.path("minimum").asDouble(1.5));
            case "boolean" -> NODES.booleanNode(true);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(switch (schema.path("format").asText("")) {
                case "date-time" -> "2026-01-01T00:00:00Z";
                case "date" -> "2026-01-01";
                case "email" -> "someone@example.com";
                case "uri", "url" -> "https://example.com/";
                case "uuid" -> "00000000-0000-4000-8000-000000000000";
                default -> "example";
            });
        };
    }

    private static String firstNonNull(ArrayNode types) {
        for (JsonNode t : types) {
            if (!t.asText().equals("null")) {
                return t.asText();
            }
        }
        return "null";
    }
}
