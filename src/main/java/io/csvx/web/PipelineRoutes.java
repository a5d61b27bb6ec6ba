package io.csvx.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.job.JobService;
import io.csvx.pipeline.Pipeline;
import io.csvx.pipeline.PipelineException;
import io.csvx.store.Application;
import io.csvx.store.PipelineDefinition;
import io.csvx.store.StoreException;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/// `/api/v1/app/{app_id}/pipeline`: saved pipelines, each optionally triggered by uploads whose
/// name matches a glob.
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
            http.send(ctx, 201, Out.PipelineOut.of(s.stores().pipelines().create(p), http.json()));
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a pipeline with uid '" + p.uid() + "' already exists");
        }
    }

    void list(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.stores().pipelines().list(app.id(), http.page(ctx, false)),
                p -> Out.PipelineOut.of(p, http.json())));
    }

    void get(Context ctx) {
        http.send(ctx, 200, Out.PipelineOut.of(find(s, ctx, ctx.pathParam("pipeline_id")), http.json()));
    }

    /// Replaces the definition; jobs already queued keep the one they were created with.
    void update(Context ctx) {
        PipelineDefinition old = find(s, ctx, ctx.pathParam("pipeline_id"));
        PipelineDefinition p = read(ctx, old.appId(), old.id(), old.createdAt());
        try {
            http.send(ctx, 200, Out.PipelineOut.of(s.stores().pipelines().update(p), http.json()));
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a pipeline with uid '" + p.uid() + "' already exists");
        }
    }

    void delete(Context ctx) {
        PipelineDefinition p = find(s, ctx, ctx.pathParam("pipeline_id"));
        s.stores().pipelines().delete(p.appId(), p.id());
        ctx.status(204);
    }

    static PipelineDefinition find(Services s, Context ctx, String idOrUid) {
        Application app = AppRoutes.find(s, ctx);
        return s.stores().pipelines().find(app.id(), idOrUid)
                .orElseThrow(() -> ApiError.notFound("pipeline '" + idOrUid + "'"));
    }

    /// `name`, `uid`, `steps`, `output` and `trigger` (a glob, or `{"event": "file.uploaded", "glob": …}`),
    /// with the definition checked by the same parser the jobs use.
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
        String glob = trigger(in, body.get("trigger"));
        in.check();
        ObjectNode definition = http.json().createObjectNode();
        definition.set("steps", steps);
        if (output != null && !output.isNull()) {
            definition.set("output", output);
        }
        String text;
        try {
            text = http.json().writeValueAsString(definition);
            Pipeline.parse(text);
        } catch (PipelineException e) {
            String msg = e.getMessage();
            throw ApiError.invalid(List.of(new ApiError.Item(List.of("body", msg.startsWith("output") ? "output" : "steps"),
                    msg, "value_error.pipeline")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new PipelineDefinition(id, appId, uid, name, text, glob, createdAt, Http.now());
    }

    private static String trigger(Input in, JsonNode t) {
        if (t == null || t.isNull()) {
            return null;
        }
        JsonNode glob = t;
        if (t.isObject()) {
            JsonNode event = t.get("event");
            if (event != null && !"file.uploaded".equals(event.asText())) {
                in.reject("trigger", "event: only file.uploaded triggers a pipeline");
                return null;
            }
            List<String> unknown = new ArrayList<>();
            t.fieldNames().forEachRemaining(f -> {
                if (!f.equals("event") && !f.equals("glob")) {
                    unknown.add(f);
                }
            });
            if (!unknown.isEmpty()) {
                in.reject("trigger", "unknown field " + unknown + "; a trigger has event and glob");
                return null;
            }
            glob = t.get("glob");
        }
        if (glob == null || !glob.isTextual() || glob.asText().isEmpty() || glob.asText().length() > 256) {
            in.reject("trigger", "a file-name glob such as \"orders-*.csv\", or {\"event\": \"file.uploaded\", \"glob\": …}");
            return null;
        }
        try {
            JobService.checkGlob(glob.asText());
        } catch (IllegalArgumentException e) {
            in.reject("trigger", "glob: " + e.getMessage());
            return null;
        }
        return glob.asText();
    }
}
