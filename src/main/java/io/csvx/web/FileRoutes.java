package io.csvx.web;

import io.csvx.csv.CsvFormatException;
import io.csvx.file.FileService;
import io.csvx.store.Application;
import io.csvx.store.CsvFile;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/// `/api/v1/app/{app_id}/file`: CSV uploads, streamed to disk and announced as `file.uploaded`.
final class FileRoutes {
    private final Services s;
    private final Http http;

    FileRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    void upload(Context ctx) throws IOException {
        Application app = AppRoutes.find(s, ctx);
        String name = ctx.queryParam("name");
        if (name == null || name.isBlank() || name.length() > 255) {
            throw ApiError.invalid("query", "name", "the file's name is required, e.g. ?name=orders.csv");
        }
        String type = ctx.contentType();
        if (type != null && type.startsWith("multipart/")) {
            throw ApiError.of(415, "unsupported_media_type", "send the CSV as the raw request body (text/csv)");
        }
        long limit = s.config().maxUploadBytes();
        if (ctx.contentLength() > limit) {
            throw Http.tooLarge(limit);
        }
        try (InputStream body = ctx.req().getInputStream()) {
            CsvFile f = s.files().upload(app.id(), name, body);
            http.send(ctx, 201, Out.FileOut.of(f));
        } catch (FileService.TooLarge e) {
            throw Http.tooLarge(limit);
        } catch (CsvFormatException e) {
            throw ApiError.invalid("body", e.line() > 0 ? "line " + e.line() : "file", e.getMessage());
        }
    }

    void list(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.stores().files().list(app.id(), http.page(ctx, false)), Out.FileOut::of));
    }

    void get(Context ctx) {
        http.send(ctx, 200, Out.FileOut.of(find(ctx)));
    }

    void content(Context ctx) throws IOException {
        CsvFile f = find(ctx);
        ctx.contentType("text/csv; charset=" + (f.encoding().startsWith("UTF-8") ? "utf-8" : f.encoding()));
        ctx.header("Content-Disposition", "attachment; filename=\"" + f.name().replace("\"", "") + "\"");
        ctx.result(Files.newInputStream(s.files().path(f)));
    }

    void delete(Context ctx) throws IOException {
        s.files().delete(find(ctx));
        ctx.status(204);
    }

    private CsvFile find(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        String id = ctx.pathParam("file_id");
        return s.stores().files().find(app.id(), id).orElseThrow(() -> ApiError.notFound("file '" + id + "'"));
    }
}
