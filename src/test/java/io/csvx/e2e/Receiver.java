package io.csvx.e2e;

import io.csvx.testing.LoopbackServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/// A real HTTP receiver on loopback that records every webhook and answers as told.
final class Receiver implements AutoCloseable {
    record Hit(String path, Map<String, String> headers, String body, long nanos) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /// What to answer: status, extra headers and a body (null: "ok N"), from the path and how many
    /// hits that path has had (1-based).
    record Answer(int status, Map<String, String> headers, String body) {
        Answer(int status, Map<String, String> headers) {
            this(status, headers, null);
        }

        static Answer of(int status) {
            return new Answer(status, Map.of());
        }
    }

    private final LoopbackServer server;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile BiFunction<String, Integer, Answer> answer = (p, n) -> Answer.of(200);

    Receiver() {
        this.server = new LoopbackServer(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                Map<String, String> headers = new java.util.HashMap<>();
                request.getHeaders().forEach(f -> headers.put(f.getLowerCaseName(), f.getValue()));
                String path = request.getHttpURI().getPath();
                int n = counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                hits.add(new Hit(path, headers, body, System.nanoTime()));
                Answer a = answer.apply(path, n);
                response.setStatus(a.status());
                a.headers().forEach((k, v) -> response.getHeaders().put(k, v));
                Content.Sink.write(response, true, a.body() != null ? a.body() : "ok " + n, callback);
                return true;
            }
        });
    }

    void answer(BiFunction<String, Integer, Answer> a) {
        this.answer = a;
    }

    String url(String path) {
        return server.url(path);
    }

    int port() {
        return server.port();
    }

    List<Hit> hits() {
        return List.copyOf(hits);
    }

    List<Hit> hits(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
