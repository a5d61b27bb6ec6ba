package io.csvx.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/// Registers routes with Javalin and keeps the table, from which the OpenAPI document is made.
final class Router {
    record Route(String method, String path, String operationId, String summary) {
    }

    private final RoutesConfig routes;
    private final List<Route> table = new ArrayList<>();

    Router(RoutesConfig routes) {
        this.routes = routes;
    }

    void get(String path, String op, String summary, Handler h) {
        table.add(new Route("get", path, op, summary));
        routes.get(path, h);
    }

    void post(String path, String op, String summary, Handler h) {
        table.add(new Route("post", path, op, summary));
        routes.post(path, h);
    }

    void put(String path, String op, String summary, Handler h) {
        table.add(new Route("put", path, op, summary));
        routes.put(path, h);
    }

    void patch(String path, String op, String summary, Handler h) {
        table.add(new Route("patch", path, op, summary));
        routes.patch(path, h);
    }

    void delete(String path, String op, String summary, Handler h) {
        table.add(new Route("delete", path, op, summary));
        routes.delete(path, h);
    }

    /// A route of the Svix API that CSV-X does not implement yet: 501, and left out of the OpenAPI document.
    void notYet(String method, String path) {
        Handler h = ctx -> {
            throw ApiError.of(501, "not_implemented", method.toUpperCase() + " " + path + " is not implemented by CSV-X yet");
        };
        switch (method) {
            case "get" -> routes.get(path, h);
            case "post" -> routes.post(path, h);
            case "delete" -> routes.delete(path, h);
            default -> throw new IllegalArgumentException(method);
        }
    }

    List<Route> table() {
        return List.copyOf(table);
    }
}
