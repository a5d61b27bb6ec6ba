package io.csvx.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.csv.CsvFormatException;
import io.csvx.csv.CsvInput;
import io.csvx.file.CsvFile;
import io.csvx.file.FileService;
import io.csvx.job.DryRun;
import io.csvx.job.Glob;
import io.csvx.job.Job;
import io.csvx.job.JobService;
import io.csvx.job.PipelineDefinition;
import io.csvx.job.PipelineService;
import io.csvx.message.Events;
import io.csvx.pipeline.PipelineException;
import io.csvx.store.Ids;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import io.csvx.web.Pages.NotFound;
import io.csvx.web.Pages.Scope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/// An application's pipelines in the console: the list, a definition edited with its problems
/// shown as it is typed (the parser's words, as the API answers them), a dry run of what is
/// typed on one of the application's files, and a run of the saved pipeline on a file.
final class PipelinePages {
    /// What a new pipeline's form starts with.
    static final String STARTER = """
            {
              "steps": [
                {"trim": []}
              ],
              "output": {"format": "csv"}
            }""";
    /// Rows out and rows rejected a dry run shows.
    private static final int SAMPLE = 20;

    private final Pages pages;
    private final PipelineService pipelines;
    private final FileService files;
    private final JobService jobs;
    private final Ids ids;
    private final ObjectMapper json = Events.newMapper();

    PipelinePages(Pages pages, PipelineService pipelines, FileService files, JobService jobs, Ids ids) {
        this.pages = pages;
        this.pipelines = pipelines;
        this.files = files;
        this.jobs = jobs;
        this.ids = ids;
    }

    void routes(RoutesConfig routes, String base) {
        routes.get(base + "/pipelines", pages.scoped(false, s -> ctx -> pages.render(ctx, 200, "pipelines.jte",
                Map.of("s", s, "pipelines", pipelines.list(s.app().id(), new PageRequest(250, null, false)).data()))));
        routes.get(base + "/pipelines/new", pages.scoped(false, s -> ctx ->
                form(s, ctx, null, "", "", STARTER, "")));
        routes.post(base + "/pipelines", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> save(s, ctx, null))));
        routes.post(base + "/pipelines/check", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> check(ctx))));
        routes.post(base + "/pipelines/dry-run", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> dryRun(s, ctx))));
        routes.get(base + "/pipelines/{pipeline_id}", pages.scoped(false, s -> ctx -> {
            PipelineDefinition p = pipelineOf(s, ctx);
            form(s, ctx, p, p.name(), p.triggerPipeline() == null && p.triggerGlob() != null ? p.triggerGlob().text() : "",
                    pages.pretty(p.definition().toString()), "");
        }));
        routes.post(base + "/pipelines/{pipeline_id}", pages.scoped(false, s -> pages.change(s.viewer(),
                ctx -> save(s, ctx, pipelineOf(s, ctx)))));
        routes.post(base + "/pipelines/{pipeline_id}/delete", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> {
            pipelines.delete(pipelineOf(s, ctx));
            ctx.redirect(s.base() + "/pipelines");
        })));
        routes.post(base + "/pipelines/{pipeline_id}/run", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> {
            PipelineDefinition p = pipelineOf(s, ctx);
            CsvFile f = fileOf(s, ctx).orElseThrow(() -> new NotFound("file"));
            Job j = jobs.create(p, f);
            ctx.redirect(s.base() + "/jobs/" + j.id());
        })));
    }

    private PipelineDefinition pipelineOf(Scope s, Context ctx) {
        return pipelines.find(s.app().id(), ctx.pathParam("pipeline_id")).orElseThrow(() -> new NotFound("pipeline"));
    }

    private Optional<CsvFile> fileOf(Scope s, Context ctx) {
        String id = ctx.formParam("file");
        return id == null || id.isBlank() ? Optional.empty() : files.find(s.app().id(), id);
    }

    private void form(Scope s, Context ctx, PipelineDefinition p, String name, String glob, String definition,
                      String problem) {
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("p", p);
        model.put("name", name);
        model.put("glob", glob);
        model.put("definition", definition);
        model.put("problem", problem);
        // the files a dry run or a run may read: the latest CSV and TSV of the application
        model.put("files", files.list(s.app().id(), new PageRequest(50, null, true), null).data().stream()
                .filter(f -> f.format().equals("csv") || f.format().equals("tsv")).toList());
        model.put("upstream", p == null || p.triggerPipeline() == null ? ""
                : pipelines.find(s.app().id(), p.triggerPipeline()).map(u -> u.name() + " (" + u.id() + ")")
                .orElse(p.triggerPipeline()));
        pages.render(ctx, problem.isEmpty() ? 200 : 422, "pipeline.jte", model);
    }

    /// What is wrong with the definition being typed, or that it is sound: htmx's fragment.
    private void check(Context ctx) {
        String problem;
        try {
            PipelineService.definition(ctx.formParam("definition"));
            problem = "";
        } catch (PipelineException e) {
            problem = e.getMessage();
        }
        pages.render(ctx, 200, "pipelineCheck.jte", Map.of("problem", problem));
    }

    private void dryRun(Scope s, Context ctx) {
        DryRun result;
        Optional<CsvFile> file = fileOf(s, ctx);
        ObjectNode definition = null;
        if (file.isEmpty()) {
            result = new DryRun.Failed("Choose one of the application's CSV files.");
        } else {
            try {
                definition = PipelineService.definition(ctx.formParam("definition"));
                result = null;
            } catch (PipelineException e) {
                result = new DryRun.Failed(e.getMessage());
            }
        }
        if (result == null) {
            result = run(definition, file.get());
        }
        pages.render(ctx, 200, "dryRun.jte", Map.of("r", result, "file", file.map(CsvFile::name).orElse("")));
    }

    private DryRun run(ObjectNode definition, CsvFile f) {
        try (CsvInput in = files.open(f).orElse(null)) {
            if (in == null) {
                return new DryRun.Failed("The file " + f.name() + " is not on this node any more.");
            }
            return pipelines.dryRun(definition, in, SAMPLE);
        } catch (CsvFormatException e) {
            return new DryRun.Failed("The file is not CSV CSV-X can read: " + e.getMessage());
        } catch (IOException e) {
            return new DryRun.Failed("The file could not be read: " + e.getMessage());
        }
    }

    private void save(Scope s, Context ctx, PipelineDefinition old) {
        String name = Pages.field(ctx, "name");
        String globText = Pages.field(ctx, "glob");
        String text = ctx.formParam("definition");
        String problem = "";
        ObjectNode definition = null;
        Glob glob = null;
        if (name.isEmpty() || name.length() > 256) {
            problem = "Give the pipeline a name (up to 256 characters).";
        } else {
            try {
                definition = PipelineService.definition(text);
            } catch (PipelineException e) {
                problem = e.getMessage();
            }
        }
        if (problem.isEmpty() && !globText.isEmpty()) {
            try {
                glob = Glob.of(globText);
            } catch (IllegalArgumentException e) {
                problem = "The trigger: " + e.getMessage();
            }
        }
        if (!problem.isEmpty()) {
            form(s, ctx, old, name, globText, text == null ? "" : text, problem);
            return;
        }
        var now = pages.now();
        boolean chained = old != null && old.triggerPipeline() != null; // a chain is kept as it is
        PipelineDefinition p = new PipelineDefinition(old == null ? ids.next("pl_") : old.id(), s.app().id(),
                old == null ? null : old.uid(), name, definition,
                chained ? old.triggerEvent() : glob == null ? null : PipelineDefinition.FILE_UPLOADED,
                chained ? old.triggerGlob() : glob, chained ? old.triggerPipeline() : null,
                old == null ? now : old.createdAt(), now);
        try {
            p = old == null ? pipelines.create(p) : pipelines.update(p);
        } catch (StoreException.Conflict e) {
            form(s, ctx, old, name, globText, text, "A pipeline with that uid exists already.");
            return;
        }
        ctx.redirect(s.base() + "/pipelines/" + p.id());
    }
}
