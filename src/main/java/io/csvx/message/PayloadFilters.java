package io.csvx.message;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.csvx.endpoint.Endpoint;
import io.csvx.pipeline.Condition;
import java.io.IOException;

/// Endpoints' payload filters applied to messages: each filter compiled once (and kept, by its
/// text), each payload read once however many endpoints filter it. A field is a dotted path
/// (`data.file.rows`) or a JSON pointer (`` `/data/file/rows` ``); an absent field or null is
/// empty, numbers and booleans are their JSON text, objects and arrays their JSON.
public final class PayloadFilters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Cache<String, Condition> compiled = Caffeine.newBuilder().maximumSize(10_000).build();

    /// A payload, read when a filter first needs it.
    public static final class Payload {
        private final String text;
        private JsonNode tree;

        public Payload(String text) {
            this.text = text;
        }

        JsonNode tree() {
            if (tree == null) {
                try {
                    tree = JSON.readTree(text);
                } catch (IOException e) {
                    tree = JSON.missingNode(); // not JSON: every field is empty
                }
            }
            return tree;
        }
    }

    /// Whether the endpoint's filter lets the payload through (true without a filter).
    public boolean matches(Endpoint endpoint, Payload payload) {
        if (endpoint.filter() == null) {
            return true;
        }
        Condition c = compiled.get(endpoint.filter(), Condition::compile);
        return c.test(field -> value(payload.tree(), field));
    }

    private static String value(JsonNode root, String field) {
        JsonNode node;
        if (field.startsWith("/")) {
            try {
                node = root.at(JsonPointer.compile(field));
            } catch (IllegalArgumentException e) {
                return "";
            }
        } else {
            node = root;
            for (String part : field.split("\\.")) {
                node = node.isArray() && part.chars().allMatch(Character::isDigit) && !part.isEmpty()
                        ? node.path(Integer.parseInt(part)) : node.path(part);
            }
        }
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
