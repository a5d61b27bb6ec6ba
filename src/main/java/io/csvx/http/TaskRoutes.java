package io.csvx.http;

import io.csvx.delivery.BackgroundTask;
import io.csvx.delivery.BackgroundTask.Kind;
import io.csvx.delivery.BackgroundTask.Params;
import io.csvx.endpoint.Endpoint;
import io.csvx.message.Message;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/// Recover, replay-missing and bulk replay of an endpoint, and `/api/v1/background-task` where
/// their progress shows.
final class TaskRoutes {
    private static final List<Integer> CODE_CLASSES = List.of(0, 100, 200, 300, 400, 500);

    private final Services s;
    private final Http http;
    private final EndpointRoutes endpoints;

    TaskRoutes(Services s, Http http, EndpointRoutes endpoints) {
        this.s = s;
        this.http = http;
        this.endpoints = endpoints;
    }

    /// `POST …/endpoint/{id}/recover`: failed deliveries since a time, due again.
    void recover(Context ctx) {
        start(ctx, Kind.RECOVER, false);
    }

    /// `POST …/endpoint/{id}/replay-missing`: messages since a time that the endpoint never had.
    void replayMissing(Context ctx) {
        start(ctx, Kind.REPLAY_MISSING, false);
    }

    /// `POST …/endpoint/{id}/bulk-replay`: messages the endpoint had in a range, again.
    void bulkReplay(Context ctx) {
        start(ctx, Kind.BULK_REPLAY, true);
    }

    private void start(Context ctx, Kind kind, boolean filters) {
        Endpoint e = endpoints.find(ctx);
        Input in = http.body(ctx);
        String since = in.string("since", true, 1, 64, null);
        String until = in.string("until", false, 1, 64, null);
        List<String> eventTypes = null;
        String channel = null;
        String tag = null;
        Integer status = null;
        Integer codeClass = null;
        if (filters) {
            eventTypes = in.strings("eventTypes", 50, Input.UID);
            channel = in.string("channel", false, 1, 128, Message.CHANNEL);
            tag = in.string("tag", false, 1, 128, Message.TAG);
            status = in.integer("status", 0, 3);
            codeClass = in.integer("statusCodeClass", 0, 500);
            if (codeClass != null && !CODE_CLASSES.contains(codeClass)) {
                in.reject("statusCodeClass", "must be one of " + CODE_CLASSES);
            }
        }
        in.check();
        Instant from = instant(since, "since");
        Instant to = until == null ? null : instant(until, "until");
        if (to != null && !to.isAfter(from)) {
            throw ApiError.invalid("body", "until", "must be after since");
        }
        BackgroundTask task = s.tasks().start(kind, e, new Params(from, to, eventTypes, channel, tag, status, codeClass))
                .orElseThrow(() -> ApiError.conflict("endpoint '" + e.id() + "' is disabled; enable it before replaying"
                        + " to it"));
        http.send(ctx, 202, Out.RecoverOut.of(task));
    }

    void list(Context ctx) {
        String status = ctx.queryParam("status");
        String task = ctx.queryParam("task");
        BackgroundTask.Status st = null;
        if (status != null) {
            try {
                st = BackgroundTask.Status.ofWire(status);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("query", "status", "must be running, finished or failed");
            }
        }
        Kind kind = null;
        if (task != null) {
            try {
                kind = Kind.ofWire(task);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("query", "task", "CSV-X runs endpoint.recover, endpoint.replay and"
                        + " endpoint.bulk-replay tasks");
            }
        }
        http.send(ctx, 200, Out.ListResponse.of(s.tasks().list(http.page(ctx, true), st, kind),
                Out.BackgroundTaskOut::of));
    }

    void get(Context ctx) {
        String id = ctx.pathParam("task_id");
        http.send(ctx, 200, Out.BackgroundTaskOut.of(s.tasks().find(id)
                .orElseThrow(() -> ApiError.notFound("background task '" + id + "'"))));
    }

    private static Instant instant(String text, String field) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.invalid("body", field, "must be an RFC 3339 date-time");
        }
    }
}
