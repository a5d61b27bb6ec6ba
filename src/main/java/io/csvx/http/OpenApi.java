package io.csvx.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// The OpenAPI document of what this server implements, made from the route table and,
/// for response bodies, from the [Out] records themselves, so it cannot drift from them.
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    private OpenApi() {
    }

    static String document(List<Router.Route> routes, ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("openapi", "3.0.3");
        ObjectNode info = root.putObject("info");
        info.put("title", "CSV-X webhooks API");
        info.put("version", "1.0.0");
        info.put("description", "Svix v1 compatible webhook API served by CSV-X. Authenticate with 'Authorization: Bearer <token>'.");
        ObjectNode components = root.putObject("components");
        components.putObject("securitySchemes").putObject("HTTPBearer").put("type", "http").put("scheme", "bearer");
        ObjectNode schemas = components.putObject("schemas");
        schema(schemas, Out.HttpErrorOut.class);
        schema(schemas, Out.ValidationErrorOut.class);
        root.putArray("security").addObject().putArray("HTTPBearer");
        ObjectNode paths = root.putObject("paths");
        for (Router.Route r : routes) {
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            ObjectNode op = path.putObject(r.method());
            op.put("operationId", r.operationId());
            op.put("summary", r.summary());
            parameters(op.putArray("parameters"), r);
            ObjectNode responses = op.putObject("responses");
            Router.Answer answer = r.answer();
            ObjectNode ok = responses.putObject(Integer.toString(answer.status())).put("description", "success");
            if (answer.body() != null) {
                String name = schema(schemas, answer.body());
                ObjectNode body = ok.putObject("content").putObject("application/json").putObject("schema");
                if (answer.list()) {
                    body.put("type", "object");
                    ObjectNode props = body.putObject("properties");
                    props.putObject("data").put("type", "array").putObject("items").put("$ref", ref(name));
                    props.putObject("iterator").put("type", "string").put("nullable", true);
                    props.putObject("prevIterator").put("type", "string").put("nullable", true);
                    props.putObject("done").put("type", "boolean");
                    body.putArray("required").add("data").add("done");
                } else {
                    body.put("$ref", ref(name));
                }
            }
            if (answer.alternate() != 0) {
                ObjectNode other = responses.putObject(Integer.toString(answer.alternate())).put("description", "success");
                if (ok.has("content")) {
                    other.set("content", ok.get("content").deepCopy());
                }
            }
            for (String code : List.of("400", "401", "404", "409", "413", "429")) {
                responses.putObject(code).put("description", "error").putObject("content").putObject("application/json")
                        .putObject("schema").put("$ref", ref("HttpErrorOut"));
            }
            responses.putObject("422").put("description", "validation error").putObject("content")
                    .putObject("application/json").putObject("schema").put("$ref", ref("ValidationErrorOut"));
        }
        return root.toPrettyString();
    }

    private static void parameters(ArrayNode params, Router.Route r) {
        Matcher m = PARAM.matcher(r.path());
        while (m.find()) {
            ObjectNode p = params.addObject();
            p.put("name", m.group(1)).put("in", "path").put("required", true);
            p.putObject("schema").put("type", "string");
        }
        if (r.method().equals("post")) {
            ObjectNode p = params.addObject();
            p.put("name", "idempotency-key").put("in", "header").put("required", false);
            p.putObject("schema").put("type", "string");
        }
        for (String name : r.query()) {
            ObjectNode schema = params.addObject().put("name", name).put("in", "query").putObject("schema");
            switch (Query.kind(name)) {
                case INTEGER -> schema.put("type", "integer");
                case STRING -> schema.put("type", "string");
                case BOOLEAN -> schema.put("type", "boolean");
                case DATE_TIME -> schema.put("type", "string").put("format", "date-time");
                case ARRAY -> schema.put("type", "array").putObject("items").put("type", "string");
            }
            if (name.equals("limit")) {
                schema.put("minimum", 1).put("maximum", Http.MAX_LIMIT);
            }
        }
    }

    private static String ref(String name) {
        return "#/components/schemas/" + name;
    }

    /// Adds the schema of a record (and of records it holds) and returns its name.
    private static String schema(ObjectNode schemas, Class<?> type) {
        String name = type.getSimpleName();
        if (schemas.has(name)) {
            return name;
        }
        ObjectNode s = schemas.putObject(name).put("type", "object");
        ObjectNode props = s.putObject("properties");
        for (RecordComponent c : type.getRecordComponents()) {
            // a component renamed on the wire carries @JsonProperty, which reaches its accessor
            JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
            ObjectNode p = props.putObject(renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName());
            if (c.isAnnotationPresent(JsonRawValue.class)) {
                p.put("type", "object");
            } else {
                describe(schemas, p, c.getGenericType());
            }
        }
        return name;
    }

    private static void describe(ObjectNode schemas, ObjectNode p, Type t) {
        if (t == String.class) {
            p.put("type", "string");
        } else if (t == Instant.class) {
            p.put("type", "string").put("format", "date-time");
        } else if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
            p.put("type", "integer");
        } else if (t == boolean.class) {
            p.put("type", "boolean");
        } else if (t instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            describe(schemas, p.put("type", "array").putObject("items"), pt.getActualTypeArguments()[0]);
        } else if (t instanceof ParameterizedType pt && pt.getRawType() == Map.class) {
            describe(schemas, p.put("type", "object").putObject("additionalProperties"), pt.getActualTypeArguments()[1]);
        } else if (t == Object.class || t instanceof Class<?> c && JsonNode.class.isAssignableFrom(c)) {
            p.put("description", "any JSON value");
        } else if (t instanceof Class<?> c && c.isRecord()) {
            p.put("$ref", ref(schema(schemas, c)));
        } else {
            throw new IllegalStateException("no schema for " + t);
        }
    }
}
