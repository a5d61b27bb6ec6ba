package io.csvx.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.job.Glob;
import io.csvx.job.PipelineDefinition;
import io.csvx.job.PipelineService;
import io.csvx.pipeline.PipelineException;
import io.csvx.store.StoreException;
import io.csvx.tenant.Application;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/// `/api/v1/app/{app_id}/pipeline`: saved pipelines, each optionally triggered by uploads whose
/// name matches a glob, or by the completed jobs of another pipeline (a chain).
final class PipelineRoutes {
    private final Services s;
    private final Http http;

    PipelineRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    void create(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        PipelineDefinition p = read(ctx, app.id(), s.ids().next("pl_"), Http.now());
        try {
            http.send(ctx, 201, Out.PipelineOut.of(s.pipelines().create(p)));
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a pipeline with uid '" + p.uid() + "' already exists");
        }
    }

    void list(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.pipelines().list(app.id(), http.page(ctx, false)),
                Out.PipelineOut::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, Out.PipelineOut.of(find(s, ctx, ctx.pathParam("pipeline_id"))));
    }

    /// Replaces the definition; jobs already queued keep the one they were created with.
    void update(Context ctx) {
        PipelineDefinition old = find(s, ctx, ctx.pathParam("pipeline_id"));
        PipelineDefinition p = read(ctx, old.appId(), old.id(), old.createdAt());
        try {
            http.send(ctx, 200, Out.PipelineOut.of(s.pipelines().update(p)));
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a pipeline with uid '" + p.uid() + "' already exists");
        }
    }

    void delete(Context ctx) {
        PipelineDefinition p = find(s, ctx, ctx.pathParam("pipeline_id"));
        s.pipelines().delete(p);
        ctx.status(204);
    }

    static PipelineDefinition find(Services s, Context ctx, String idOrUid) {
        Application app = AppRoutes.find(s, ctx);
        return s.pipelines().find(app.id(), idOrUid)
                .orElseThrow(() -> ApiError.notFound("pipeline '" + idOrUid + "'"));
    }

    /// A trigger as stored: event, glob, upstream pipeline.
    private record Trigger(String event, Glob glob, String pipeline) {
        static final Trigger NONE = new Trigger(null, null, null);
    }

    /// `name`, `uid`, `steps`, `output` and `trigger`, with the definition checked by the same
    /// parser the jobs use.
    private PipelineDefinition read(Context ctx, String appId, String id, Instant createdAt) {
        Input in = http.body(ctx);
        String name = in.string("name", true, 1, 256, null);
        String uid = in.string("uid", false, 1, 256, Input.UID);
        JsonNode body = in.raw();
        JsonNode steps = body.get("steps");
        if (steps == null || !steps.isArray()) {
            in.reject("steps", "field required: an array of steps, e.g. [{\"select\": [\"id\", \"email\"]}]");
        }
        JsonNode output = body.get("output");
        if (output != null && !output.isNull() && !output.isObject()) {
            in.reject("output", "must be an object, e.g. {\"format\": \"ndjson\"}");
        }
        JsonNode alerts = body.get("alerts");
        if (alerts != null && !alerts.isNull() && !alerts.isArray()) {
            in.reject("alerts", "must be a list, e.g. [{\"name\": \"many rejects\", \"when\": \"rejectedPercent > 5\"}]");
        }
        Trigger trigger = trigger(in, body.get("trigger"), appId, id);
        in.check();
        ObjectNode definition = http.json().createObjectNode();
        definition.set("steps", steps);
        if (output != null && !output.isNull()) {
            definition.set("output", output);
        }
        if (alerts != null && !alerts.isNull()) {
            definition.set("alerts", alerts);
        }
        try {
            PipelineService.check(definition.toString());
        } catch (PipelineException e) {
            String msg = e.getMessage();
            String field = msg.startsWith("output") ? "output" : msg.startsWith("alerts") ? "alerts" : "steps";
            throw ApiError.invalid(List.of(new ApiError.Item(List.of("body", field),
                    msg, "value_error.pipeline")));
        }
        return new PipelineDefinition(id, appId, uid, name, definition, trigger.event(), trigger.glob(), trigger.pipeline(),
                createdAt, Http.now());
    }

    /// A glob (shorthand for `file.uploaded`), `{"event": "file.uploaded", "glob": …}`, or
    /// `{"event": "job.completed", "pipeline": …, "glob": …}`: a chain on another pipeline's outputs.
    private Trigger trigger(Input in, JsonNode t, String appId, String selfId) {
        if (t == null || t.isNull()) {
            return Trigger.NONE;
        }
        if (t.isTextual()) {
            Glob glob = glob(in, t);
            return glob == null ? Trigger.NONE : new Trigger(PipelineDefinition.FILE_UPLOADED, glob, null);
        }
        if (!t.isObject()) {
            in.reject("trigger", "a file-name glob such as \"orders-*.csv\", or {\"event\": …}");
            return Trigger.NONE;
        }
        for (var it = t.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("event", "glob", "pipeline").contains(f)) {
                in.reject("trigger", "unknown field '" + f + "'; a trigger has event, glob and pipeline");
                return Trigger.NONE;
            }
        }
        String event = t.path("event").asText(PipelineDefinition.FILE_UPLOADED);
        if (event.equals(PipelineDefinition.FILE_UPLOADED)) {
            Glob glob = glob(in, t.get("glob"));
            return glob == null ? Trigger.NONE : new Trigger(event, glob, null);
        }
        if (!event.equals(PipelineDefinition.JOB_COMPLETED)) {
            in.reject("trigger", "event: file.uploaded or job.completed");
            return Trigger.NONE;
        }
        Glob glob = t.hasNonNull("glob") ? glob(in, t.get("glob")) : null;
        try {
            PipelineDefinition upstream = s.pipelines().upstream(appId, selfId, t.path("pipeline").asText(""));
            return new Trigger(event, glob, upstream.id());
        } catch (IllegalArgumentException e) {
            in.reject("trigger", e.getMessage());
            return Trigger.NONE;
        }
    }

    private static Glob glob(Input in, JsonNode glob) {
        if (glob == null || !glob.isTextual() || glob.asText().isEmpty() || glob.asText().length() > 256) {
            in.reject("trigger", "glob: a file-name pattern such as \"orders-*.csv\"");
            return null;
        }
        try {
            return Glob.of(glob.asText());
        } catch (IllegalArgumentException e) {
            in.reject("trigger", "glob: " + e.getMessage());
            return null;
        }
    }
}
