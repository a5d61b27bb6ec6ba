package io.csvx.web;

import io.csvx.message.DeliveryState;
import io.csvx.message.EventType;
import io.csvx.message.Message;
import io.csvx.message.MessageStore;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/// A search of messages as the pages' forms give it: event type, channel, a time range (the
/// browser's `datetime-local`, read as UTC) and, for an endpoint's messages, the delivery
/// status there. A value that is not one is ignored, as an empty field is, and the form says so.
///
/// @param after  as typed (`2026-12-01T10:00`), or ""
/// @param status `success`, `pending`, `fail`, `sending`, or ""
record MessageSearch(String eventType, String channel, String after, String before, String status, String problem) {
    static final List<String> STATUSES = List.of("success", "pending", "fail", "sending");

    static MessageSearch read(Context ctx) {
        StringBuilder problem = new StringBuilder();
        String type = param(ctx, "eventType");
        if (!type.isEmpty() && !EventType.isName(type)) {
            problem.append("An event type holds letters, digits, '-', '_' and '.'. ");
            type = "";
        }
        String channel = param(ctx, "channel");
        if (!channel.isEmpty() && !Message.CHANNEL.matcher(channel).matches()) {
            problem.append("A channel holds letters, digits, '-', '_', '.', ':' and '+'. ");
            channel = "";
        }
        String after = param(ctx, "after");
        String before = param(ctx, "before");
        if (!after.isEmpty() && time(after) == null || !before.isEmpty() && time(before) == null) {
            problem.append("Times are written 2026-12-01T10:00 (UTC). ");
            after = time(after) == null ? "" : after;
            before = time(before) == null ? "" : before;
        }
        String status = param(ctx, "status");
        if (!status.isEmpty() && !STATUSES.contains(status)) {
            status = "";
        }
        return new MessageSearch(type, channel, after, before, status, problem.toString().strip());
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.length() > 256 ? "" : v.strip();
    }

    /// A `datetime-local` value (minutes or seconds) as a UTC instant, or null.
    static Instant time(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    MessageStore.Filter filter() {
        return new MessageStore.Filter(channel.isEmpty() ? null : List.of(channel), null,
                eventType.isEmpty() ? null : List.of(eventType), time(before), time(after));
    }

    /// The delivery status to filter an endpoint's messages by, or null.
    Integer statusCode() {
        return switch (status) {
            case "success" -> DeliveryState.SUCCESS;
            case "pending" -> DeliveryState.PENDING;
            case "fail" -> DeliveryState.FAIL;
            case "sending" -> DeliveryState.SENDING;
            default -> null;
        };
    }

    /// The search as query parameters, for the link to the next page ("" when empty).
    String query() {
        StringBuilder q = new StringBuilder();
        add(q, "eventType", eventType);
        add(q, "channel", channel);
        add(q, "after", after);
        add(q, "before", before);
        add(q, "status", status);
        return q.toString();
    }

    private static void add(StringBuilder q, String name, String value) {
        if (!value.isEmpty()) {
            q.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
