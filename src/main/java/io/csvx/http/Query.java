package io.csvx.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// The query parameters routes take: each name's kind (for the OpenAPI document) and the check
/// that refuses, with a 422 naming it, a parameter the route does not take, rather than ignoring it.
final class Query {
    /// What a parameter's value is.
    enum Kind { INTEGER, STRING, BOOLEAN, DATE_TIME, ARRAY }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("limit", Kind.INTEGER), Map.entry("iterator", Kind.STRING), Map.entry("order", Kind.STRING),
            Map.entry("get_if_exists", Kind.BOOLEAN), Map.entry("with_content", Kind.BOOLEAN),
            Map.entry("with_msg", Kind.BOOLEAN), Map.entry("expanded_statuses", Kind.BOOLEAN),
            Map.entry("include_archived", Kind.BOOLEAN), Map.entry("expunge", Kind.BOOLEAN),
            Map.entry("status", Kind.STRING), Map.entry("status_code_class", Kind.INTEGER),
            Map.entry("channel", Kind.STRING), Map.entry("tag", Kind.STRING), Map.entry("endpoint_id", Kind.STRING),
            Map.entry("before", Kind.DATE_TIME), Map.entry("after", Kind.DATE_TIME),
            Map.entry("since", Kind.DATE_TIME), Map.entry("until", Kind.DATE_TIME),
            Map.entry("event_types", Kind.ARRAY), Map.entry("channels", Kind.ARRAY), Map.entry("task", Kind.STRING),
            Map.entry("name", Kind.STRING), Map.entry("pipeline", Kind.STRING), Map.entry("jobId", Kind.STRING),
            Map.entry("fileId", Kind.STRING), Map.entry("dataset", Kind.STRING), Map.entry("from", Kind.INTEGER),
            Map.entry("to", Kind.INTEGER));

    static final List<String> NONE = List.of();
    static final List<String> PAGE = List.of("limit", "iterator");
    static final List<String> ORDERED_PAGE = List.of("limit", "iterator", "order");

    private Query() {
    }

    /// `base` and `more`; each must have a kind here, so the document can describe it.
    static List<String> of(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        for (String name : all) {
            if (!KINDS.containsKey(name)) {
                throw new IllegalArgumentException("no kind for query parameter " + name);
            }
        }
        return List.copyOf(all);
    }

    static Kind kind(String name) {
        return KINDS.get(name);
    }

    /// 422 for the first parameter of the request that `allowed` does not hold (`name[]` counts as `name`).
    static void check(Context ctx, List<String> allowed) {
        for (String given : ctx.queryParamMap().keySet()) {
            String name = given.endsWith("[]") ? given.substring(0, given.length() - 2) : given;
            if (!allowed.contains(name)) {
                String safe = name.replaceAll("[^\\x20-\\x7e]", "?");
                throw ApiError.invalid("query", safe, allowed.isEmpty() ? "this route takes no query parameters"
                        : "is not a parameter of this route; it takes " + String.join(", ", allowed));
            }
        }
    }
}
