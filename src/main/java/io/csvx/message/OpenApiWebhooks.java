package io.csvx.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/// The event types an OpenAPI document describes in its `webhooks` section (OpenAPI 3.1): one per
/// webhook, named by its key, described by its operation, its schema the JSON request body's with
/// `#/components/schemas/…` references written out (a reference cycle is left as a reference).
final class OpenApiWebhooks {
    /// One event type as the document has it; `schema` is null when the webhook has no JSON body.
    /// `featureFlags` and `groupName` come from Svix's `x-svix-feature-flags` and `x-svix-group-name`.
    record Found(String name, String description, boolean deprecated, List<String> featureFlags, String groupName,
                 JsonNode schema) {
    }

    private static final int MAX_DEPTH = 32;

    private OpenApiWebhooks() {
    }

    /// The webhooks of `spec`; [IllegalArgumentException] naming what is wrong when it has none
    /// or one is not an event type name.
    static List<Found> read(JsonNode spec) {
        JsonNode webhooks = spec.get("webhooks");
        if (webhooks == null || !webhooks.isObject() || webhooks.isEmpty()) {
            throw new IllegalArgumentException("the document has no 'webhooks' section (OpenAPI 3.1) to read");
        }
        JsonNode components = spec.path("components").path("schemas");
        List<Found> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = webhooks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> w = it.next();
            String name = w.getKey();
            if (!EventType.isName(name)) {
                throw new IllegalArgumentException("webhook '" + name.replaceAll("[^\\x20-\\x7e]", "?")
                        + "' is not an event type name (letters, digits, '-', '_', '.')");
            }
            JsonNode op = operation(w.getValue());
            String description = op.path("description").asText(op.path("summary").asText(""));
            JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
            JsonNode schema = body.isObject() ? inline(body, components, new HashSet<>(), 0) : null;
            List<String> flags = null;
            if (op.path("x-svix-feature-flags").isArray()) {
                flags = new ArrayList<>();
                for (JsonNode f : op.get("x-svix-feature-flags")) {
                    flags.add(f.asText());
                }
            }
            String group = op.hasNonNull("x-svix-group-name") ? op.get("x-svix-group-name").asText() : null;
            found.add(new Found(name, description, op.path("deprecated").asBoolean(false), flags, group, schema));
        }
        return found;
    }

    /// The webhook's POST operation, or its first operation.
    private static JsonNode operation(JsonNode pathItem) {
        if (pathItem.has("post")) {
            return pathItem.get("post");
        }
        Iterator<JsonNode> ops = pathItem.elements();
        return ops.hasNext() ? ops.next() : JsonNodeFactory.instance.objectNode();
    }

    private static JsonNode inline(JsonNode node, JsonNode components, Set<String> open, int depth) {
        if (depth > MAX_DEPTH) {
            return node;
        }
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                String name = ref.asText().substring("#/components/schemas/".length());
                JsonNode target = components.get(name);
                if (target == null || open.contains(name)) {
                    return node;
                }
                open.add(name);
                JsonNode resolved = inline(target, components, open, depth + 1);
                open.remove(name);
                return resolved;
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), inline(f.getValue(), components, open, depth + 1)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(inline(n, components, open, depth + 1)));
            return copy;
        }
        return node;
    }
}
