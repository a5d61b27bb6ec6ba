package io.csvx.http;

import io.csvx.file.CsvFile;
import io.csvx.job.Job;
import io.csvx.job.JobView;
import io.csvx.job.PipelineDefinition;
import io.csvx.tenant.Application;
import io.javalin.http.Context;

/// `/api/v1/app/{app_id}/job`: running a pipeline over a file in the background.
final class JobRoutes {
    private final Services s;
    private final Http http;

    JobRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    void create(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        Input in = http.body(ctx);
        String pipelineId = in.string("pipelineId", true, 1, 256, null);
        String fileId = in.string("fileId", true, 1, 64, null);
        in.check();
        PipelineDefinition p = s.pipelines().find(app.id(), pipelineId).orElseThrow(() ->
                ApiError.invalid("body", "pipelineId", "no pipeline '" + pipelineId + "' in this application"));
        CsvFile f = s.files().find(app.id(), fileId).orElseThrow(() ->
                ApiError.invalid("body", "fileId", "no file '" + fileId + "' in this application"));
        http.send(ctx, 202, JobView.of(s.jobs().create(p, f)));
    }

    void list(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        String status = ctx.queryParam("status");
        Job.Status st = null;
        if (status != null) {
            try {
                st = Job.Status.ofWire(status);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("query", "status", "one of queued, running, completed, failed, cancelled");
            }
        }
        http.send(ctx, 200, Out.ListResponse.of(s.jobs().list(app.id(), http.page(ctx, true),
                ctx.queryParam("fileId"), st), JobView::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, JobView.of(find(ctx)));
    }

    /// Cancels a queued or running job; a finished one answers 409.
    void cancel(Context ctx) {
        Job j = find(ctx);
        Job cancelled = s.jobs().cancel(j).orElseThrow(() ->
                ApiError.conflict("job " + j.id() + " already " + j.status().wire()));
        http.send(ctx, 202, JobView.of(cancelled));
    }

    private Job find(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        String id = ctx.pathParam("job_id");
        return s.jobs().find(app.id(), id).orElseThrow(() -> ApiError.notFound("job '" + id + "'"));
    }
}
