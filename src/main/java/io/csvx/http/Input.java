package io.csvx.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/// Reads a JSON request body field by field, collecting every problem with its location,
/// so one 422 names all the fields at fault.
final class Input {
    /// The most JSON an application's or endpoint's metadata may hold.
    static final int METADATA_BYTES = 16 * 1024;
    static final Pattern UID = Pattern.compile("^[a-zA-Z0-9\\-_.]+$");

    private final JsonNode node;
    private final ObjectMapper json;
    private final List<ApiError.Item> errors = new ArrayList<>();

    private Input(JsonNode node, ObjectMapper json) {
        this.node = node;
        this.json = json;
    }

    static Input parse(byte[] body, ObjectMapper json) {
        if (body.length == 0) {
            throw ApiError.invalid(List.of(new ApiError.Item(List.of("body"), "request body is required", "value_error.missing")));
        }
        try (JsonParser parser = json.getFactory().createParser(body)) {
            JsonNode node = json.readTree(parser);
            if (node == null || !node.isObject()) {
                throw ApiError.invalid(List.of(new ApiError.Item(List.of("body"), "body must be a JSON object", "type_error.dict")));
            }
            // one JSON value and nothing after it: `{"name": "x"} xyz` is refused, not half read
            JsonLocation end = parser.currentLocation();
            boolean more;
            try {
                more = parser.nextToken() != null;
            } catch (JsonProcessingException garbage) {
                more = true;
            }
            if (more) {
                throw ApiError.badRequest("body is not valid JSON: more follows the JSON object, which ends at line "
                        + end.getLineNr() + ", column " + end.getColumnNr());
            }
            return new Input(node, json);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("body is not valid JSON: " + problem(e));
        } catch (IOException e) {
            throw ApiError.badRequest("cannot read body: " + e.getMessage());
        }
    }

    /// The whole body, for fields read by their own parser (a pipeline's steps).
    JsonNode raw() {
        return node;
    }

    boolean has(String field) {
        return node.has(field);
    }

    boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    /// The first of `names` the body has, else the first name: for fields that newer Svix SDKs
    /// send under a new name (`filterTypes` for `eventTypes`, `rateLimit` for `throttleRate`).
    String either(String... names) {
        for (String n : names) {
            if (node.has(n)) {
                return n;
            }
        }
        return names[0];
    }

    private JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v instanceof NullNode ? null : v;
    }

    /// The field's value when present and of the right kind; null when absent or (recording why) wrong.
    private JsonNode typed(String field, Predicate<JsonNode> ok, String msg, String type) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!ok.test(v)) {
            error(field, msg, type);
            return null;
        }
        return v;
    }

    private void error(String field, String msg, String type) {
        errors.add(new ApiError.Item(List.of("body", field), msg, type));
    }

    String string(String field, boolean required, int minLength, int maxLength, Pattern pattern) {
        JsonNode v = get(field);
        if (v == null) {
            if (required) {
                error(field, "field required", "value_error.missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            error(field, "must be a string", "type_error.str");
            return null;
        }
        String s = v.asText();
        if (s.indexOf('\0') >= 0) {
            error(field, "must not contain NUL characters", "value_error.str.nul");
            return null;
        }
        if (s.length() < minLength) {
            error(field, "must be at least " + minLength + " characters", "value_error.any_str.min_length");
        } else if (s.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters", "value_error.any_str.max_length");
        } else if (pattern != null && !pattern.matcher(s).matches()) {
            error(field, "must match " + pattern.pattern(), "value_error.str.regex");
        }
        return s;
    }

    Integer integer(String field, int min, int max) {
        JsonNode v = typed(field, JsonNode::isIntegralNumber, "must be an integer", "type_error.integer");
        if (v == null) {
            return null;
        }
        long n = v.asLong();
        if (n < min || n > max) {
            error(field, "must be between " + min + " and " + max, "value_error.number");
            return null;
        }
        return (int) n;
    }

    Boolean bool(String field) {
        JsonNode v = typed(field, JsonNode::isBoolean, "must be a boolean", "type_error.bool");
        return v == null ? null : v.asBoolean();
    }

    List<String> strings(String field, int maxItems, Pattern pattern) {
        JsonNode v = typed(field, JsonNode::isArray, "must be an array of strings", "type_error.list");
        if (v == null) {
            return null;
        }
        if (v.size() > maxItems) {
            error(field, "must have at most " + maxItems + " items", "value_error.list.max_items");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual() || (pattern != null && !pattern.matcher(item.asText()).matches())) {
                error(field, "items must be strings matching " + (pattern == null ? "text" : pattern.pattern()),
                        "value_error.str.regex");
                return null;
            }
            out.add(item.asText());
        }
        return List.copyOf(out);
    }

    /// A JSON object field as compact text, or null when absent.
    String object(String field) {
        JsonNode v = typed(field, JsonNode::isObject, "must be a JSON object", "type_error.dict");
        if (v == null) {
            return null;
        }
        try {
            return json.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /// An object whose values are all strings (metadata, headers); null values are kept as null.
    Map<String, String> stringMap(String field) {
        JsonNode v = typed(field, JsonNode::isObject, "must be an object of strings", "type_error.dict");
        if (v == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = v.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isNull()) {
                out.put(e.getKey(), null);
            } else if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                error(field, "values must be strings (\"" + e.getKey() + "\" is not)", "type_error.str");
                return null;
            }
        }
        return out;
    }

    /// `metadata` of an application or endpoint: strings to strings, kept and answered as given, so
    /// bounded: at most [#METADATA_BYTES] bytes of JSON.
    Map<String, String> metadata() {
        Map<String, String> m = stringMap("metadata");
        if (m != null && node.get("metadata").toString().getBytes(StandardCharsets.UTF_8).length > METADATA_BYTES) {
            error("metadata", "at most " + METADATA_BYTES / 1024 + " KiB of JSON", "value_error.any_str.max_length");
            return null;
        }
        return m;
    }

    /// The uid a PUT creates its object under, named by the path: an id that does not exist
    /// (`prefix…`) is not found rather than created, and a uid is checked as a body's would be.
    static String uidToCreate(String key, String pathParam, String prefix, String kind) {
        if (key.startsWith(prefix)) {
            throw ApiError.notFound(kind + " '" + key + "'");
        }
        if (key.length() > 256 || !UID.matcher(key).matches()) {
            throw ApiError.invalid("path", pathParam, "a uid is 1 to 256 letters, digits, '-', '_' and '.'");
        }
        return key;
    }

    /// Jackson's account of a syntax error, without its own settings ("StreamReadFeature…") that
    /// it adds when it points at where an object began, and with the line and column of the fault.
    static String problem(JsonProcessingException e) {
        String what = String.valueOf(e.getOriginalMessage()).replaceAll(" \\(start marker at \\[Source: [^\\]]*\\]\\)", "");
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? what : what + " (line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ")";
    }

    /// The raw node of a field, for nested objects such as `application` in a message.
    Input nested(String field) {
        JsonNode v = typed(field, JsonNode::isObject, "must be a JSON object", "type_error.dict");
        return v == null ? null : new Input(v, json);
    }

    void reject(String field, String msg) {
        error(field, msg, "value_error");
    }

    /// Throws a 422 naming every field at fault, if any.
    void check() {
        if (!errors.isEmpty()) {
            throw ApiError.invalid(errors);
        }
    }
}
