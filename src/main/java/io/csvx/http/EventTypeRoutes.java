package io.csvx.http;

import io.csvx.message.EventType;
import io.csvx.store.StoreException;
import io.javalin.http.Context;
import java.time.Instant;

/// `/api/v1/event-type`: event types, global to the installation.
final class EventTypeRoutes {
    private final Services s;
    private final Http http;

    EventTypeRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    void create(Context ctx) {
        Input in = http.body(ctx);
        String name = in.string("name", true, 1, 256, Input.UID);
        EventType t = read(in, name, Http.now(), Http.now());
        try {
            http.send(ctx, 201, Out.EventTypeOut.of(s.eventTypes().create(t)));
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("event type '" + name + "' already exists");
        }
    }

    void list(Context ctx) {
        boolean archived = Http.boolParam(ctx, "include_archived", false);
        http.send(ctx, 200, Out.ListResponse.of(s.eventTypes().list(http.page(ctx, false), archived),
                Out.EventTypeOut::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, Out.EventTypeOut.of(find(ctx)));
    }

    void put(Context ctx) {
        String name = ctx.pathParam("event_type_name");
        var existing = s.eventTypes().find(name);
        Input in = http.body(ctx);
        Instant now = Http.now();
        if (existing.isEmpty()) {
            if (!Input.UID.matcher(name).matches() || name.length() > 256) {
                throw ApiError.invalid("path", "event_type_name", "must match " + Input.UID.pattern());
            }
            http.send(ctx, 201, Out.EventTypeOut.of(s.eventTypes().create(read(in, name, now, now))));
            return;
        }
        http.send(ctx, 200, Out.EventTypeOut.of(s.eventTypes().update(
                read(in, name, existing.get().createdAt(), now))));
    }

    void patch(Context ctx) {
        EventType old = find(ctx);
        Input in = http.body(ctx);
        String description = in.string("description", false, 0, 65536, null);
        Boolean archived = in.bool("archived");
        Boolean deprecated = in.bool("deprecated");
        String flag = in.string("featureFlag", false, 1, 256, Input.UID);
        String schemas = in.object("schemas");
        in.check();
        http.send(ctx, 200, Out.EventTypeOut.of(s.eventTypes().update(new EventType(old.name(),
                description != null ? description : old.description(), archived != null ? archived : old.archived(),
                deprecated != null ? deprecated : old.deprecated(), in.has("featureFlag") ? flag : old.featureFlag(),
                in.has("schemas") ? schemas : old.schemas(), old.createdAt(), Http.now()))));
    }

    void delete(Context ctx) {
        EventType t = find(ctx);
        s.eventTypes().delete(t, Http.boolParam(ctx, "expunge", false));
        ctx.status(204);
    }

    private EventType read(Input in, String name, Instant createdAt, Instant now) {
        String description = in.string("description", true, 0, 65536, null);
        Boolean archived = in.bool("archived");
        Boolean deprecated = in.bool("deprecated");
        String flag = in.string("featureFlag", false, 1, 256, Input.UID);
        String schemas = in.object("schemas");
        in.check();
        return new EventType(name, description, Boolean.TRUE.equals(archived), Boolean.TRUE.equals(deprecated), flag,
                schemas, createdAt, now);
    }

    private EventType find(Context ctx) {
        String name = ctx.pathParam("event_type_name");
        return s.eventTypes().find(name).orElseThrow(() -> ApiError.notFound("event type '" + name + "'"));
    }
}
