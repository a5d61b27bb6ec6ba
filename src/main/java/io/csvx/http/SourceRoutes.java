package io.csvx.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.source.InboundRequest;
import io.csvx.source.IngestResult;
import io.csvx.source.Source;
import io.csvx.source.SourceException;
import io.csvx.source.SourceService;
import io.csvx.store.StoreException;
import io.csvx.tenant.Application;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/// `/api/v1/app/{app_id}/source` (sources, their request log, replay) and `/in/{source_id}`,
/// where other systems send their webhooks.
final class SourceRoutes {
    private final Services s;
    private final Http http;

    SourceRoutes(Services s, Http http) {
        this.s = s;
        this.http = http;
    }

    void create(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        Source src = read(ctx, app.id(), s.ids().next("src_"), Http.now());
        try {
            http.send(ctx, 201, out(ctx, s.sources().create(src)));
        } catch (SourceException e) {
            throw invalid(e);
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a source with uid '" + src.uid() + "' already exists");
        }
    }

    void list(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.sources().list(app.id(), http.page(ctx, false)),
                src -> out(ctx, src)));
    }

    void get(Context ctx) {
        http.send(ctx, 200, out(ctx, find(ctx)));
    }

    void update(Context ctx) {
        Source old = find(ctx);
        Source src = read(ctx, old.appId(), old.id(), old.createdAt());
        try {
            http.send(ctx, 200, out(ctx, s.sources().update(old, src)));
        } catch (SourceException e) {
            throw invalid(e);
        } catch (StoreException.Conflict e) {
            throw ApiError.conflict("a source with uid '" + src.uid() + "' already exists");
        }
    }

    void delete(Context ctx) {
        Source src = find(ctx);
        s.sources().delete(src);
        ctx.status(204);
    }

    void requests(Context ctx) {
        Source src = find(ctx);
        http.send(ctx, 200, Out.ListResponse.of(s.sources().requests(src, http.page(ctx, true)),
                Out.InboundRequestOut::of));
    }

    void request(Context ctx) {
        Source src = find(ctx);
        http.send(ctx, 200, Out.InboundRequestOut.of(findRequest(ctx, src)));
    }

    void replay(Context ctx) throws IOException {
        Source src = find(ctx);
        answer(ctx, s.ingest().replay(src, findRequest(ctx, src)));
    }

    /// `POST /in/{source_id}`: no bearer token; the source's own verification decides.
    void ingest(Context ctx) throws IOException {
        Map<String, String> headers = new HashMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        try (InputStream body = ctx.req().getInputStream()) {
            answer(ctx, s.ingest().receive(ctx.pathParam("source_id"), headers, body));
        }
    }

    /// The status and body of each way a request can end; refusals in the API's `{code, detail}`.
    private void answer(Context ctx, IngestResult result) {
        switch (result) {
            case IngestResult.UnknownSource u -> refuse(ctx, 404, "not_found", "no source '" + u.sourceId() + "'");
            case IngestResult.Refused r -> {
                ctx.header("WWW-Authenticate", r.challenge());
                refuse(ctx, 401, "verification_failed", r.reason());
            }
            case IngestResult.TooLarge t -> refuse(ctx, 413, "payload_too_large", t.detail());
            case IngestResult.Throttled t -> {
                ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
                refuse(ctx, 429, "rate_limit_exceeded", "this source refused too many requests lately; retry after "
                        + t.retryAfterSeconds() + " s");
            }
            case IngestResult.CannotReplay c -> refuse(ctx, 409, "conflict", c.detail());
            case IngestResult.Duplicate d -> http.send(ctx, 200, status(d.requestId(), "duplicate"));
            case IngestResult.Unprocessable u -> {
                ObjectNode body = http.json().createObjectNode().put("code", "unprocessable").put("detail", u.reason());
                http.send(ctx, 422, body.put("id", u.requestId()));
            }
            case IngestResult.Accepted a -> {
                ObjectNode body = status(a.requestId(), "processed");
                IngestResult.Outcome o = a.outcome();
                if (o.messageId() != null) {
                    body.put("messageId", o.messageId());
                } else {
                    if (o.fileId() != null) {
                        body.put("fileId", o.fileId());
                    }
                    o.jobIds().forEach(body.putArray("jobIds")::add);
                }
                http.send(ctx, 202, body);
            }
        }
    }

    private ObjectNode status(String requestId, String status) {
        return http.json().createObjectNode().put("id", requestId).put("status", status);
    }

    private void refuse(Context ctx, int status, String code, String detail) {
        http.send(ctx, status, new Out.HttpErrorOut(code, detail));
    }

    private Source find(Context ctx) {
        Application app = AppRoutes.find(s, ctx);
        String id = ctx.pathParam("source_id");
        return s.sources().find(app.id(), id).orElseThrow(() -> ApiError.notFound("source '" + id + "'"));
    }

    private InboundRequest findRequest(Context ctx, Source src) {
        String id = ctx.pathParam("request_id");
        return s.sources().request(src, id).orElseThrow(() -> ApiError.notFound("request '" + id + "'"));
    }

    /// `name`, `uid`, `verification`, `action` and `dedup`; the source service checks the
    /// definition when it is kept.
    private Source read(Context ctx, String appId, String id, Instant createdAt) {
        Input in = http.body(ctx);
        String name = in.string("name", true, 1, 256, null);
        String uid = in.string("uid", false, 1, 256, Input.UID);
        JsonNode body = in.raw();
        JsonNode verification = body.get("verification");
        JsonNode action = body.get("action");
        JsonNode dedup = body.get("dedup");
        if (verification == null || !verification.isObject()) {
            in.reject("verification", "required: an object with a type, e.g. {\"type\": \"github\", \"secret\": …}");
        }
        if (action == null || !action.isObject()) {
            in.reject("action", "required: an object with a type, e.g. {\"type\": \"emit\", \"eventType\": …}");
        }
        if (dedup != null && !dedup.isNull() && !dedup.isObject()) {
            in.reject("dedup", "an object: {\"header\": …} or {\"jsonPointer\": …}, with an optional window");
        }
        in.check();
        return new Source(id, appId, uid, name, (ObjectNode) verification, (ObjectNode) action,
                dedup == null || dedup.isNull() ? null : (ObjectNode) dedup, createdAt, Http.now());
    }

    private static ApiError invalid(SourceException e) {
        return ApiError.invalid(List.of(new ApiError.Item(List.of("body", e.field()), e.getMessage(), "value_error")));
    }

    private Out.SourceOut out(Context ctx, Source src) {
        String base = ctx.scheme() + "://" + ctx.host();
        return new Out.SourceOut(src.id(), src.uid(), src.name(), base + "/in/" + src.id(),
                SourceService.visibleVerification(src).toString(), src.action().toString(),
                src.dedup() == null ? null : src.dedup().toString(), src.createdAt(), src.updatedAt());
    }
}
