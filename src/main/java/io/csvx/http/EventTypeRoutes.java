package io.csvx.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.csvx.message.EventType;
import io.csvx.message.EventTypeService;
import io.csvx.store.StoreException;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/// `/api/v1/event-type`: event types, global to the installation.
final class EventTypeRoutes {
    private final Services s;
    private final Http http;

    EventTypeRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    /// Largest OpenAPI document an import reads.
    private static final int MAX_SPEC = 8 << 20;
    private static final YAMLMapper YAML = new YAMLMapper();

    /// `POST /api/v1/event-type/import/openapi`: event types from an OpenAPI document's webhooks,
    /// given parsed (`spec`) or as YAML or JSON text (`specRaw`).
    void importOpenApi(Context ctx) {
        Input in = http.json(ctx, MAX_SPEC);
        Boolean dryRun = in.bool("dryRun");
        Boolean replaceAll = in.bool("replaceAll");
        String raw = in.string("specRaw", false, 1, MAX_SPEC, null);
        JsonNode spec = in.raw().get("spec");
        boolean given = spec != null && !spec.isNull();
        if (given && !spec.isObject()) {
            in.reject("spec", "must be an OpenAPI document as a JSON object");
        } else if (given == (raw != null)) {
            in.reject("spec", "give the document either as spec (an object) or as specRaw (YAML or JSON text)");
        }
        in.check();
        if (raw != null) {
            try {
                spec = YAML.readTree(raw);
            } catch (IOException e) {
                throw ApiError.invalid("body", "specRaw", "is neither YAML nor JSON: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
            if (spec == null || !spec.isObject()) {
                throw ApiError.invalid("body", "specRaw", "must hold an OpenAPI document (a mapping)");
            }
        }
        boolean dry = Boolean.TRUE.equals(dryRun);
        EventTypeService.Imported imported;
        try {
            imported = s.eventTypes().importOpenApi(spec, dry, Boolean.TRUE.equals(replaceAll), Http.now());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("body", raw != null ? "specRaw" : "spec", e.getMessage());
        }
        http.send(ctx, 200, Out.ImportOut.of(imported, dry));
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
        boolean content = Http.boolParam(ctx, "with_content", false); // as Svix: schemas only when asked
        http.send(ctx, 200, Out.ListResponse.of(s.eventTypes().list(http.page(ctx, false), archived),
                t -> Out.EventTypeOut.of(content ? t : t.withoutSchemas())));
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
        List<String> flags = flags(in);
        String group = in.string("groupName", false, 1, 256, Input.UID);
        String schemas = in.object("schemas");
        in.check();
        boolean flagsGiven = in.has("featureFlag") || in.has("featureFlags");
        http.send(ctx, 200, Out.EventTypeOut.of(s.eventTypes().update(new EventType(old.name(),
                description != null ? description : old.description(), archived != null ? archived : old.archived(),
                deprecated != null ? deprecated : old.deprecated(), flagsGiven ? flags : old.featureFlags(),
                in.has("groupName") ? group : old.groupName(), in.has("schemas") ? schemas : old.schemas(),
                old.createdAt(), Http.now()))));
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
        List<String> flags = flags(in);
        String group = in.string("groupName", false, 1, 256, Input.UID);
        String schemas = in.object("schemas");
        in.check();
        return new EventType(name, description, Boolean.TRUE.equals(archived), Boolean.TRUE.equals(deprecated), flags,
                group, schemas, createdAt, now);
    }

    /// `featureFlags` (Svix's newer list), or the older single `featureFlag`; null when neither.
    private static List<String> flags(Input in) {
        List<String> flags = in.strings("featureFlags", 10, Input.UID);
        String flag = in.string("featureFlag", false, 1, 256, Input.UID);
        if (flags != null && flag != null && !flags.contains(flag)) {
            in.reject("featureFlag", "give featureFlags, or featureFlag alone");
        }
        return flags != null ? flags : flag != null ? List.of(flag) : null;
    }

    private EventType find(Context ctx) {
        String name = ctx.pathParam("event_type_name");
        return s.eventTypes().find(name).orElseThrow(() -> ApiError.notFound("event type '" + name + "'"));
    }
}
