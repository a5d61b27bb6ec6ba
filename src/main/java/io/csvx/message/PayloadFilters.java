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
    /// A filter compiled, with each field it names as a JSON pointer.
    private record Compiled(Condition condition, JsonPointer[] pointers) {
        static Compiled of(String filter) {
            Condition c = Condition.compile(filter);
            JsonPointer[] pointers = new JsonPointer[c.fields().size()];
            for (int i = 0; i < pointers.length; i++) {
                pointers[i] = pointer(c.fields().get(i));
            }
            return new Compiled(c, pointers);
        }
    }

    private final Cache<String, Compiled> compiled = Caffeine.newBuilder().maximumSize(10_000).build();

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
        Compiled c = compiled.get(endpoint.filter(), Compiled::of);
        JsonNode root = payload.tree();
        String[] values = new String[c.pointers().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.pointers()[i] == null ? "" : text(root.at(c.pointers()[i]));
        }
        return c.condition().test(values);
    }

    /// A field as a JSON pointer: a pointer as written, or a dotted path's parts (each escaped);
    /// null for one that cannot be.
    private static JsonPointer pointer(String field) {
        try {
            if (field.startsWith("/")) {
                return JsonPointer.compile(field);
            }
            StringBuilder p = new StringBuilder();
            for (String part : field.split("\\.", -1)) {
                p.append('/').append(part.replace("~", "~0").replace("/", "~1"));
            }
            return JsonPointer.compile(p.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
