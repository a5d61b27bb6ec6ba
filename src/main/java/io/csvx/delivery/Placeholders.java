package io.csvx.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// `{{path}}` placeholders over a payload.
final class Placeholders {
    private static final ObjectMapper JSON = OutgoingFormat.JSON;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");

    private Placeholders() {
    }

    static JsonNode lookup(JsonNode root, String path, String eventType, String msgId) {
        if (path.equals("type") && !root.has("type")) {
            return JSON.getNodeFactory().textNode(eventType);
        }
        if (path.equals("id") && !root.has("id") && msgId != null) {
            return JSON.getNodeFactory().textNode(msgId);
        }
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n.isArray() && part.chars().allMatch(Character::isDigit) ? n.path(Integer.parseInt(part)) : n.path(part);
        }
        return n;
    }

    static String interpolate(String text, JsonNode root, String eventType) {
        return interpolate(text, root, eventType, null);
    }

    static String interpolate(String text, JsonNode root, String eventType, String msgId) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = lookup(root, m.group(1), eventType, msgId);
            String s = v.isMissingNode() || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
            m.appendReplacement(out, Matcher.quoteReplacement(s));
        }
        m.appendTail(out);
        return out.toString();
    }

    static JsonNode fill(JsonNode template, JsonNode root, String eventType, String msgId) {
        if (template.isTextual()) {
            Matcher whole = PLACEHOLDER.matcher(template.asText());
            if (whole.matches()) {
                JsonNode v = lookup(root, whole.group(1), eventType, msgId);
                return v.isMissingNode() ? JSON.nullNode() : v.deepCopy();
            }
            return JSON.getNodeFactory().textNode(interpolate(template.asText(), root, eventType, msgId));
        }
        if (template.isObject()) {
            ObjectNode o = JSON.createObjectNode();
            template.properties().forEach(e -> o.set(e.getKey(), fill(e.getValue(), root, eventType, msgId)));
            return o;
        }
        if (template.isArray()) {
            ArrayNode a = JSON.createArrayNode();
            template.forEach(item -> a.add(fill(item, root, eventType, msgId)));
            return a;
        }
        return template;
    }
}
