package io.csvx.http;

import io.csvx.csv.CsvFormatException;
import io.csvx.file.CsvFile;
import io.csvx.file.FileService;
import io.csvx.file.FileView;
import io.csvx.job.JobService;
import io.csvx.job.PipelineDefinition;
import io.csvx.servlet.Multipart;
import io.csvx.tenant.Application;
import io.javalin.http.Context;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/// `/api/v1/app/{app_id}/file`: CSV uploads, streamed to disk and announced as `file.uploaded`,
/// and the files jobs wrote.
final class FileRoutes {
    private final Services s;
    private final Http http;

    FileRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    /// The CSV is the raw body (`?name=` required), or the part named `file` of a multipart form
    /// (named by `?name=` or the part's file name). `?pipeline=` (id or uid) also runs that pipeline;
    /// `?dataset=` (id or uid) makes the file that dataset's next version.
    void upload(Context ctx) throws IOException, ServletException {
        Application app = AppRoutes.find(s, ctx);
        String pipelineId = ctx.queryParam("pipeline");
        PipelineDefinition pipeline = null;
        if (pipelineId != null) {
            pipeline = s.pipelines().find(app.id(), pipelineId).orElseThrow(() ->
                    ApiError.invalid("query", "pipeline", "no pipeline '" + pipelineId + "' in this application"));
        }
        String datasetRef = ctx.queryParam("dataset");
        String datasetId = null;
        if (datasetRef != null) {
            datasetId = s.datasets().find(app.id(), datasetRef).orElseThrow(() ->
                    ApiError.invalid("query", "dataset", "no dataset '" + datasetRef + "' in this application")).id();
        }
        long limit = s.config().maxUploadBytes();
        String type = ctx.contentType();
        boolean multipart = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
        if (!multipart && ctx.req().getContentLengthLong() > limit) {
            throw Http.tooLarge(limit);
        }
        Part part = multipart ? part(ctx, limit) : null;
        String name = ctx.queryParam("name");
        if (name == null && part != null) {
            name = part.getSubmittedFileName();
        }
        if (name == null || name.isBlank() || name.length() > 255) {
            throw ApiError.invalid("query", "name", multipart ? "the file's name is required: give the part a file name"
                    + " or say ?name=orders.csv" : "the file's name is required, e.g. ?name=orders.csv");
        }
        try (InputStream body = part != null ? part.getInputStream() : ctx.req().getInputStream()) {
            JobService.Upload up = s.jobs().upload(app.id(), name, body, pipeline, datasetId);
            http.send(ctx, 201, FileView.of(up.file()));
        } catch (FileService.TooLarge e) {
            throw Http.tooLarge(limit);
        } catch (CsvFormatException e) {
            throw ApiError.invalid("body", e.line() > 0 ? "line " + e.line() : "file", e.getMessage());
        } finally {
            if (part != null) {
                part.delete(); // the spooled copy
            }
        }
    }

    /// The multipart part named `file`, spooled by the server under the data dir.
    private Part part(Context ctx, long limit) throws IOException {
        return switch (Multipart.part(ctx.req(), "file", s.files().spoolDirectory(), limit)) {
            case Multipart.Got got -> got.part();
            case Multipart.TooLarge big -> throw Http.tooLarge(limit);
            case Multipart.Malformed bad -> throw ApiError.badRequest("cannot read the multipart body: " + bad.reason());
            case Multipart.Absent none -> throw ApiError.invalid("body", "file",
                    "a multipart upload needs a part named 'file' holding the CSV");
        };
    }

    void list(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.files().list(app.id(), http.page(ctx, false),
                ctx.queryParam("jobId")), FileView::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, FileView.of(find(ctx)));
    }

    void content(Context ctx) throws IOException {
        CsvFile f = find(ctx);
        Path bytes = s.files().local(f);
        if (!Files.exists(bytes)) {
            // the row outlived the bytes: removed from the data dir by hand (a database copy would have been used)
            throw ApiError.of(404, "not_found", "the bytes of file '" + f.id() + "' are missing from this node's data dir");
        }
        String charset = "; charset=" + (f.encoding().startsWith("UTF-8") ? "utf-8" : f.encoding());
        ctx.contentType(switch (f.format()) {
            case "json" -> "application/json";
            case "ndjson" -> "application/x-ndjson";
            case "xml" -> "application/xml";
            case "tsv" -> "text/tab-separated-values" + charset;
            default -> "text/csv" + charset;
        });
        ctx.header("Content-Disposition", "attachment; filename=\"" + f.name().replace("\"", "") + "\"");
        ctx.result(Files.newInputStream(bytes));
    }

    void delete(Context ctx) throws IOException {
        s.files().delete(find(ctx));
        ctx.status(204);
    }

    private CsvFile find(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        String id = ctx.pathParam("file_id");
        return s.files().find(app.id(), id).orElseThrow(() -> ApiError.notFound("file '" + id + "'"));
    }
}
