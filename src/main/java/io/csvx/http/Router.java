package io.csvx.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/// Registers routes with Javalin and keeps the table (with what each answers), from which the
/// OpenAPI document is made.
final class Router {
    /// What an operation answers with on success: status and body (null for none; a list type for
    /// pages), and `alternate`, another success status with the same body (0: none).
    record Answer(int status, Class<?> body, boolean list, int alternate) {
        static Answer of(int status, Class<?> body) {
            return new Answer(status, body, false, 0);
        }

        static Answer list(Class<?> item) {
            return new Answer(200, item, true, 0);
        }

        static Answer empty(int status) {
            return new Answer(status, null, false, 0);
        }

        /// 200 when it found the resource, 201 when it created it.
        static Answer foundOrCreated(Class<?> body) {
            return new Answer(200, body, false, 201);
        }
    }

    /// `query`: the query parameters the route takes; any other is refused.
    record Route(String method, String path, String operationId, String summary, Answer answer, List<String> query) {
    }

    private final RoutesConfig routes;
    private final List<Route> table = new ArrayList<>();

    Router(RoutesConfig routes) {
        this.routes = routes;
    }

    void get(String path, String op, Answer answer, String summary, Handler h) {
        add("get", path, op, answer, summary, Query.NONE, h);
    }

    void get(String path, String op, Answer answer, String summary, List<String> query, Handler h) {
        add("get", path, op, answer, summary, query, h);
    }

    void post(String path, String op, Answer answer, String summary, Handler h) {
        add("post", path, op, answer, summary, Query.NONE, h);
    }

    void post(String path, String op, Answer answer, String summary, List<String> query, Handler h) {
        add("post", path, op, answer, summary, query, h);
    }

    void put(String path, String op, Answer answer, String summary, Handler h) {
        add("put", path, op, answer, summary, Query.NONE, h);
    }

    void put(String path, String op, Answer answer, String summary, List<String> query, Handler h) {
        add("put", path, op, answer, summary, query, h);
    }

    void patch(String path, String op, Answer answer, String summary, Handler h) {
        add("patch", path, op, answer, summary, Query.NONE, h);
    }

    void patch(String path, String op, Answer answer, String summary, List<String> query, Handler h) {
        add("patch", path, op, answer, summary, query, h);
    }

    void delete(String path, String op, Answer answer, String summary, Handler h) {
        add("delete", path, op, answer, summary, Query.NONE, h);
    }

    void delete(String path, String op, Answer answer, String summary, List<String> query, Handler h) {
        add("delete", path, op, answer, summary, query, h);
    }

    private void add(String method, String path, String op, Answer answer, String summary, List<String> query,
                     Handler h) {
        table.add(new Route(method, path, op, summary, answer, query));
        register(method, path, ctx -> {
            Query.check(ctx, query);
            h.handle(ctx);
        });
    }

    private void register(String method, String path, Handler h) {
        switch (method) {
            case "get" -> routes.get(path, h);
            case "post" -> routes.post(path, h);
            case "put" -> routes.put(path, h);
            case "patch" -> routes.patch(path, h);
            case "delete" -> routes.delete(path, h);
            default -> throw new IllegalArgumentException(method);
        }
    }

    List<Route> table() {
        return List.copyOf(table);
    }
}
