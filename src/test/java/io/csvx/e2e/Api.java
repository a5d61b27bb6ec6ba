package io.csvx.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/// A small JSON client for driving the API in tests.
final class Api implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    record Resp(int status, JsonNode body, String text, Map<String, String> headers) {
        String str(String field) {
            return body.path(field).asText(null);
        }
    }

    private final HttpClient client = new HttpClient();
    final String base;
    private final String token;

    Api(String base, String token) {
        this.base = base;
        this.token = token;
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Resp get(String path) {
        return call(HttpMethod.GET, path, null, Map.of());
    }

    Resp post(String path, String json) {
        return call(HttpMethod.POST, path, json, Map.of());
    }

    Resp post(String path, String json, Map<String, String> headers) {
        return call(HttpMethod.POST, path, json, headers);
    }

    Resp put(String path, String json) {
        return call(HttpMethod.PUT, path, json, Map.of());
    }

    Resp patch(String path, String json) {
        return call(HttpMethod.PATCH, path, json, Map.of());
    }

    Resp delete(String path) {
        return call(HttpMethod.DELETE, path, null, Map.of());
    }

    Resp call(HttpMethod method, String path, String json, Map<String, String> headers) {
        return send(method, path, json == null ? null : new StringRequestContent("application/json", json), headers);
    }

    /// POSTs an HTML form (`a=1&b=2`), as a browser's page does.
    Resp form(String path, String body, Map<String, String> headers) {
        return send(HttpMethod.POST, path, new StringRequestContent("application/x-www-form-urlencoded", body), headers);
    }

    /// POSTs `content` (a CSV file, a multipart form) as it is.
    Resp upload(String path, org.eclipse.jetty.client.Request.Content content) {
        return send(HttpMethod.POST, path, content, Map.of());
    }

    private Resp send(HttpMethod method, String path, org.eclipse.jetty.client.Request.Content content,
                      Map<String, String> headers) {
        // redirects are answers to check (the pages send them), never followed
        Request r = client.newRequest(base + path).method(method).timeout(60, TimeUnit.SECONDS).followRedirects(false);
        r.headers(h -> {
            if (token != null && !headers.containsKey("Authorization")) {
                h.put("Authorization", "Bearer " + token);
            }
            headers.forEach((k, v) -> {
                if (v != null) {
                    h.put(k, v);
                }
            });
        });
        if (content != null) {
            r.body(content);
        }
        try {
            ContentResponse res = r.send();
            String text = res.getContentAsString();
            String type = res.getHeaders().get("Content-Type");
            boolean isJson = type != null && type.startsWith("application/json") && !text.isEmpty();
            JsonNode body = isJson ? JSON.readTree(text) : JSON.nullNode();
            Map<String, String> hs = new java.util.HashMap<>();
            res.getHeaders().forEach(f -> hs.put(f.getLowerCaseName(), f.getValue()));
            return new Resp(res.getStatus(), body, text, hs);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /// Creates an application with this uid and returns its id.
    String app(String uid) {
        Resp r = post("/api/v1/app", "{\"name\":\"" + uid + "\",\"uid\":\"" + uid + "\"}");
        if (r.status() != 201) {
            throw new IllegalStateException("create app: " + r.status() + " " + r.text());
        }
        return r.str("id");
    }

    /// Creates an endpoint from a JSON body and returns its id.
    String endpoint(String app, String json) {
        Resp r = post("/api/v1/app/" + app + "/endpoint", json);
        if (r.status() != 201) {
            throw new IllegalStateException("create endpoint: " + r.status() + " " + r.text());
        }
        return r.str("id");
    }

    /// Publishes and returns the message id.
    String publish(String app, String eventType, String payloadJson) {
        Resp r = post("/api/v1/app/" + app + "/msg", "{\"eventType\":\"" + eventType + "\",\"payload\":" + payloadJson + "}");
        if (r.status() != 202) {
            throw new IllegalStateException("publish: " + r.status() + " " + r.text());
        }
        return r.str("id");
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
