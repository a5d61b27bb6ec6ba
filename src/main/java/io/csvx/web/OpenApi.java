package io.csvx.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// The OpenAPI document of what this server implements, made from the route table.
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
        ObjectNode schemes = root.putObject("components").putObject("securitySchemes");
        schemes.putObject("HTTPBearer").put("type", "http").put("scheme", "bearer");
        root.putArray("security").addObject().putArray("HTTPBearer");
        ObjectNode paths = root.putObject("paths");
        for (Router.Route r : routes) {
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            ObjectNode op = path.putObject(r.method());
            op.put("operationId", r.operationId());
            op.put("summary", r.summary());
            ArrayNode params = op.putArray("parameters");
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
            ObjectNode responses = op.putObject("responses");
            responses.putObject("2XX").put("description", "success");
            responses.putObject("4XX").put("description", "error: {\"code\", \"detail\"}, or for 422 {\"detail\": [{\"loc\", \"msg\", \"type\"}]}");
        }
        return root.toPrettyString();
    }
}
