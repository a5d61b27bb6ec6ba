package io.csvx.http;

import java.util.List;

/// An error answered in the Svix error shape: `{"code", "detail"}`, or for 422 `{"detail": [items]}`.
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /// One 422 item: where (`["body", "url"]`), what, and its kind.
    record Item(List<String> loc, String msg, String type) {
    }

    final int status;
    final String code;
    final transient List<Item> items;

    private ApiError(int status, String code, String detail, List<Item> items) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.items = items;
    }

    static ApiError of(int status, String code, String detail) {
        return new ApiError(status, code, detail, List.of());
    }

    static ApiError notFound(String what) {
        return of(404, "not_found", what + " not found");
    }

    static ApiError conflict(String detail) {
        return of(409, "conflict", detail);
    }

    static ApiError badRequest(String detail) {
        return of(400, "bad_request", detail);
    }

    static ApiError invalid(List<Item> items) {
        return new ApiError(422, "validation", items.getFirst().msg(), List.copyOf(items));
    }

    static ApiError invalid(String where, String field, String msg) {
        return invalid(List.of(new Item(List.of(where, field), msg, "value_error")));
    }
}
