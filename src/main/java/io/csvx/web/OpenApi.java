package io.csvx.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.job.JobView;
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

    /// What each operation answers with on success: status and body (null for none; a list type for pages).
    private record Answer(int status, Class<?> body, boolean list) {
    }

    private static final Map<String, Answer> ANSWERS = Map.ofEntries(
            Map.entry("v1.health.get", new Answer(204, null, false)),
            Map.entry("v1.application.list", new Answer(200, Out.ApplicationOut.class, true)),
            Map.entry("v1.application.create", new Answer(201, Out.ApplicationOut.class, false)),
            Map.entry("v1.application.get", new Answer(200, Out.ApplicationOut.class, false)),
            Map.entry("v1.application.update", new Answer(200, Out.ApplicationOut.class, false)),
            Map.entry("v1.application.patch", new Answer(200, Out.ApplicationOut.class, false)),
            Map.entry("v1.application.delete", new Answer(204, null, false)),
            Map.entry("v1.endpoint.list", new Answer(200, Out.EndpointOut.class, true)),
            Map.entry("v1.endpoint.create", new Answer(201, Out.EndpointOut.class, false)),
            Map.entry("v1.endpoint.get", new Answer(200, Out.EndpointOut.class, false)),
            Map.entry("v1.endpoint.update", new Answer(200, Out.EndpointOut.class, false)),
            Map.entry("v1.endpoint.patch", new Answer(200, Out.EndpointOut.class, false)),
            Map.entry("v1.endpoint.delete", new Answer(204, null, false)),
            Map.entry("v1.endpoint.get-headers", new Answer(200, Out.EndpointHeadersOut.class, false)),
            Map.entry("v1.endpoint.update-headers", new Answer(204, null, false)),
            Map.entry("v1.endpoint.patch-headers", new Answer(204, null, false)),
            Map.entry("v1.endpoint.get-secret", new Answer(200, Out.EndpointSecretOut.class, false)),
            Map.entry("v1.endpoint.rotate-secret", new Answer(204, null, false)),
            Map.entry("v1.endpoint.recover", new Answer(202, Out.RecoverOut.class, false)),
            Map.entry("v1.endpoint.get-stats", new Answer(200, Out.EndpointStats.class, false)),
            Map.entry("v1.message-attempt.list-attempted-messages", new Answer(200, Out.EndpointMessageOut.class, true)),
            Map.entry("v1.event-type.list", new Answer(200, Out.EventTypeOut.class, true)),
            Map.entry("v1.event-type.create", new Answer(201, Out.EventTypeOut.class, false)),
            Map.entry("v1.event-type.get", new Answer(200, Out.EventTypeOut.class, false)),
            Map.entry("v1.event-type.update", new Answer(200, Out.EventTypeOut.class, false)),
            Map.entry("v1.event-type.patch", new Answer(200, Out.EventTypeOut.class, false)),
            Map.entry("v1.event-type.delete", new Answer(204, null, false)),
            Map.entry("v1.message.list", new Answer(200, Out.MessageOut.class, true)),
            Map.entry("v1.message.create", new Answer(202, Out.MessageOut.class, false)),
            Map.entry("v1.message.get", new Answer(200, Out.MessageOut.class, false)),
            Map.entry("v1.message-attempt.list-attempted-destinations", new Answer(200, Out.MessageEndpointOut.class, true)),
            Map.entry("v1.message-attempt.resend", new Answer(202, null, false)),
            Map.entry("v1.message-attempt.get", new Answer(200, Out.MessageAttemptOut.class, false)),
            Map.entry("v1.message-attempt.list-by-endpoint", new Answer(200, Out.MessageAttemptOut.class, true)),
            Map.entry("v1.message-attempt.list-by-msg", new Answer(200, Out.MessageAttemptOut.class, true)),
            Map.entry("csvx.file.upload", new Answer(201, Out.FileOut.class, false)),
            Map.entry("csvx.file.list", new Answer(200, Out.FileOut.class, true)),
            Map.entry("csvx.file.get", new Answer(200, Out.FileOut.class, false)),
            Map.entry("csvx.file.download", new Answer(200, null, false)),
            Map.entry("csvx.file.delete", new Answer(204, null, false)),
            Map.entry("csvx.pipeline.create", new Answer(201, Out.PipelineOut.class, false)),
            Map.entry("csvx.pipeline.list", new Answer(200, Out.PipelineOut.class, true)),
            Map.entry("csvx.pipeline.get", new Answer(200, Out.PipelineOut.class, false)),
            Map.entry("csvx.pipeline.update", new Answer(200, Out.PipelineOut.class, false)),
            Map.entry("csvx.pipeline.delete", new Answer(204, null, false)),
            Map.entry("csvx.job.create", new Answer(202, JobView.class, false)),
            Map.entry("csvx.job.list", new Answer(200, JobView.class, true)),
            Map.entry("csvx.job.get", new Answer(200, JobView.class, false)),
            Map.entry("csvx.job.cancel", new Answer(202, JobView.class, false)),
            Map.entry("csvx.source.create", new Answer(201, Out.SourceOut.class, false)),
            Map.entry("csvx.source.list", new Answer(200, Out.SourceOut.class, true)),
            Map.entry("csvx.source.get", new Answer(200, Out.SourceOut.class, false)),
            Map.entry("csvx.source.update", new Answer(200, Out.SourceOut.class, false)),
            Map.entry("csvx.source.delete", new Answer(204, null, false)),
            Map.entry("csvx.source.list-requests", new Answer(200, Out.InboundRequestOut.class, true)),
            Map.entry("csvx.source.get-request", new Answer(200, Out.InboundRequestOut.class, false)),
            Map.entry("csvx.source.replay", new Answer(202, null, false)));

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
            Answer answer = ANSWERS.get(r.operationId());
            if (answer == null) {
                throw new IllegalStateException("no documented answer for " + r.operationId());
            }
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
        if (r.method().equals("get") && r.operationId().contains("list")) {
            params.addObject().put("name", "limit").put("in", "query").putObject("schema").put("type", "integer")
                    .put("minimum", 1).put("maximum", Http.MAX_LIMIT);
            params.addObject().put("name", "iterator").put("in", "query").putObject("schema").put("type", "string");
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
            ObjectNode p = props.putObject(c.getName());
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
        } else if (t instanceof Class<?> c && c.isRecord()) {
            p.put("$ref", ref(schema(schemas, c)));
        } else {
            throw new IllegalStateException("no schema for " + t);
        }
    }
}
