package io.csvx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.net.OutboundClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ByteBufferPool;

/// The API of a running CSV-X server, for commands that talk to one.
final class ServerClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = OutboundClient.forApi(64);
    private final String base;
    private final String token;

    /// The server answered with an error; the message is its `detail`.
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    ServerClient(String base, String token) throws IOException {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    String url(String path) {
        return base + path;
    }

    JsonNode get(String path) throws IOException {
        return send(request(HttpMethod.GET, path), 200);
    }

    /// Streams `body` as a CSV upload.
    JsonNode upload(String path, InputStream body) throws IOException {
        Request r = request(HttpMethod.POST, path).timeout(0, TimeUnit.SECONDS)
                .body(new InputStreamRequestContent("text/csv", body,
                        new ByteBufferPool.Sized(http.getByteBufferPool(), false, 1 << 16)));
        return send(r, 201);
    }

    /// Downloads to `target` (through a temporary file beside it).
    void download(String path, Path target) throws IOException {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request(HttpMethod.GET, path).send(listener);
        try {
            Response response = listener.get(30, TimeUnit.SECONDS);
            if (response.getStatus() != 200) {
                throw new Failure("download of " + path + " answered " + response.getStatus());
            }
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            try (InputStream in = listener.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot reach " + base + ": " + e.getMessage(), e);
        }
    }

    private Request request(HttpMethod method, String path) {
        return http.newRequest(base + path).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put("Authorization", "Bearer " + token));
    }

    private JsonNode send(Request r, int expected) throws IOException {
        ContentResponse res;
        try {
            res = r.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot reach " + base + ": " + cause.getMessage(), e);
        }
        JsonNode body = res.getContentAsString().isEmpty() ? JSON.nullNode() : readJson(res.getContentAsString());
        if (res.getStatus() != expected) {
            JsonNode detail = body.path("detail");
            String msg = detail.isArray() && !detail.isEmpty() ? detail.get(0).path("msg").asText() : detail.asText();
            throw new Failure(res.getStatus() + " " + (msg.isEmpty() ? res.getReason() : msg));
        }
        return body;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception ignored) {
            // closing at exit
        }
    }
}
