package io.csvx.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.message.Events;
import io.csvx.store.PageRequest;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/// Request and response helpers shared by the resource routes.
final class Http {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 250;

    private final ObjectMapper json;

    Http(ObjectMapper json) {
        this.json = json;
    }

    static ObjectMapper newMapper() {
        return Events.newMapper();
    }

    ObjectMapper json() {
        return json;
    }

    void send(Context ctx, int status, Object body) {
        sendJson(ctx, status, bytes(body));
    }

    /// Answers with `json`, already serialised by [#bytes] (bytes, not a String that the
    /// response then encodes again).
    void sendJson(Context ctx, int status, byte[] json) {
        ctx.status(status).contentType("application/json").result(json);
    }

    /// `body` as the JSON bytes [#send] answers with.
    byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /// Largest body a route other than publishing reads.
    static final int MAX_BODY = 1 << 20;

    Input body(Context ctx) {
        return json(ctx, MAX_BODY);
    }

    /// A JSON request body of at most `limit` bytes: 415 unless it says it is JSON
    /// (`application/json` or a `+json` type), 413 when longer.
    Input json(Context ctx, long limit) {
        requireJson(ctx);
        return Input.parse(bytes(ctx, limit), json);
    }

    static void requireJson(Context ctx) {
        String type = ctx.contentType();
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            throw ApiError.of(415, "unsupported_media_type", "send the body as JSON with 'Content-Type: application/json'"
                    + (type == null ? " (there was no Content-Type)" : " (not '" + type.replaceAll("\\p{Cntrl}", "?")
                    + "')"));
        }
    }

    /// The request body, read in bulk from the servlet stream, or 413 when it is longer than `limit`.
    static byte[] bytes(Context ctx, long limit) {
        long length = ctx.req().getContentLengthLong(); // the long one: past 2^31-1 the int one says -1
        if (length > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (length >= 0) {
                // as long as it says: one buffer of its size, no read to find the end
                return in.readNBytes((int) length);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        } catch (IOException e) {
            throw ApiError.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    static ApiError tooLarge(long limit) {
        return ApiError.of(413, "payload_too_large", "the request body is larger than the limit of " + limit + " bytes");
    }

    PageRequest page(Context ctx, boolean newestFirstByDefault) {
        String limitText = ctx.queryParam("limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw ApiError.invalid("query", "limit", "must be an integer");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiError.invalid("query", "limit", "must be between 1 and " + MAX_LIMIT);
            }
        }
        String order = ctx.queryParam("order");
        boolean descending = newestFirstByDefault;
        if (order != null) {
            descending = switch (order) {
                case "ascending" -> false;
                case "descending" -> true;
                default -> throw ApiError.invalid("query", "order", "must be ascending or descending");
            };
        }
        String iterator = ctx.queryParam("iterator");
        return new PageRequest(limit, iterator == null || iterator.isBlank() ? null : iterator, descending);
    }

    /// Now, to the millisecond: what the store keeps, so a response and a later read agree.
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static Instant instantParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.invalid("query", name, "must be an RFC 3339 date-time");
        }
    }

    static Integer intParam(Context ctx, String name, List<Integer> allowed) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (!allowed.contains(n)) {
                throw ApiError.invalid("query", name, "must be one of " + allowed);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.invalid("query", name, "must be an integer");
        }
    }

    /// A whole number of at least 1 (a version, say), or null when absent.
    static Integer positiveIntParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (!v.matches("[0-9]{1,9}") || Integer.parseInt(v) < 1) {
            throw ApiError.invalid("query", name, "must be a whole number of at least 1");
        }
        return Integer.parseInt(v);
    }

    static boolean boolParam(Context ctx, String name, boolean fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiError.invalid("query", name, "must be true or false");
        };
    }

    /// A single-valued parameter that must match `pattern` (at most 128 characters), or null when absent.
    static String patternParam(Context ctx, String name, Pattern pattern) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > 128 || !pattern.matcher(v).matches()) {
            throw ApiError.invalid("query", name, "must be 1 to 128 characters of " + pattern.pattern());
        }
        return v;
    }

    static List<String> listParam(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.isEmpty()) {
            values = ctx.queryParams(name + "[]");
        }
        return values.isEmpty() ? null : values.stream().flatMap(v -> List.of(v.split(",")).stream())
                .filter(s -> !s.isBlank()).toList();
    }
}
