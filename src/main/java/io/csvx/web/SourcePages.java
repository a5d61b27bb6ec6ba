package io.csvx.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.message.Events;
import io.csvx.source.InboundRequest;
import io.csvx.source.IngestResult;
import io.csvx.source.IngestService;
import io.csvx.source.Source;
import io.csvx.source.SourceException;
import io.csvx.source.SourceService;
import io.csvx.store.Ids;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import io.csvx.web.Pages.NotFound;
import io.csvx.web.Pages.Scope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/// An application's sources in the console: the list, a source's ingest address, verification
/// (secrets hidden), action and request log, a request's redacted headers and body, replay; and
/// creating, editing and deleting sources, checked by [SourceService] as the API's are.
final class SourcePages {
    /// What a new source's form starts with: the shape of each part, to edit.
    private static final String VERIFICATION = """
            {"type": "hmac", "header": "X-Signature", "algorithm": "sha256", "encoding": "hex", "secret": "change-me"}""";
    private static final String ACTION = """
            {"type": "emit", "eventType": "partner.event"}""";

    /// The source form as typed: shown again as it was when something in it is wrong.
    record Form(String name, String verification, String action, String dedup) {
    }

    private final Pages pages;
    private final SourceService sources;
    private final IngestService ingest;
    private final Ids ids;
    private final ObjectMapper json = Events.newMapper();

    SourcePages(Pages pages, SourceService sources, IngestService ingest, Ids ids) {
        this.pages = pages;
        this.sources = sources;
        this.ingest = ingest;
        this.ids = ids;
    }

    void routes(RoutesConfig routes, String base) {
        routes.get(base + "/sources", pages.scoped(false, s -> ctx -> pages.render(ctx, 200, "sources.jte",
                Map.of("s", s, "sources", sources.list(s.app().id(), new PageRequest(250, null, false)).data(),
                        "ingest", ingestBase(ctx)))));
        routes.get(base + "/sources/new", pages.scoped(false, s -> ctx ->
                form(s, ctx, null, new Form("", VERIFICATION, ACTION, ""), "")));
        routes.post(base + "/sources", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> save(s, ctx, null))));
        routes.get(base + "/sources/{source_id}", pages.scoped(false, s -> ctx -> source(s, ctx)));
        routes.get(base + "/sources/{source_id}/edit", pages.scoped(false, s -> ctx -> {
            Source src = sourceOf(s, ctx);
            form(s, ctx, src, new Form(src.name(), pages.pretty(SourceService.visibleVerification(src).toString()),
                    pages.pretty(src.action().toString()), src.dedup() == null ? "" : pages.pretty(src.dedup().toString())),
                    "");
        }));
        routes.post(base + "/sources/{source_id}/edit", pages.scoped(false, s -> pages.change(s.viewer(),
                ctx -> save(s, ctx, sourceOf(s, ctx)))));
        routes.post(base + "/sources/{source_id}/delete", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> {
            sources.delete(sourceOf(s, ctx));
            ctx.redirect(s.base() + "/sources");
        })));
        routes.get(base + "/sources/{source_id}/requests/{request_id}", pages.scoped(false, s -> ctx -> inbound(s, ctx)));
        routes.post(base + "/sources/{source_id}/requests/{request_id}/replay", pages.scoped(false,
                s -> pages.change(s.viewer(), ctx -> replay(s, ctx))));
    }

    /// Where senders POST: this server's address as the browser reached it, then `/in/{id}`.
    private static String ingestBase(Context ctx) {
        return ctx.scheme() + "://" + ctx.host() + "/in/";
    }

    private Source sourceOf(Scope s, Context ctx) {
        return sources.find(s.app().id(), ctx.pathParam("source_id")).orElseThrow(() -> new NotFound("source"));
    }

    private void form(Scope s, Context ctx, Source src, Form form, String problem) {
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("src", src);
        model.put("f", form);
        model.put("problem", problem);
        model.put("hidden", SourceService.HIDDEN);
        pages.render(ctx, problem.isEmpty() ? 200 : 422, "sourceEdit.jte", model);
    }

    /// Creates (`old` null) or replaces a source from the form; the service checks the
    /// verification, action and dedup as it does the API's, and its words name the part at fault.
    private void save(Scope s, Context ctx, Source old) {
        Form form = new Form(Pages.field(ctx, "name"), Pages.field(ctx, "verification"), Pages.field(ctx, "action"),
                Pages.field(ctx, "dedup"));
        if (form.name().isEmpty() || form.name().length() > 256) {
            form(s, ctx, old, form, "Give the source a name (up to 256 characters).");
            return;
        }
        Instant now = pages.now();
        try {
            ObjectNode verification = object("verification", form.verification(), true);
            ObjectNode action = object("action", form.action(), true);
            ObjectNode dedup = object("dedup", form.dedup(), false);
            Source next = new Source(old == null ? ids.next("src_") : old.id(), s.app().id(),
                    old == null ? null : old.uid(), form.name(), verification, action, dedup,
                    old == null ? now : old.createdAt(), now);
            Source saved = old == null ? sources.create(next) : sources.update(old, next);
            ctx.redirect(s.base() + "/sources/" + saved.id());
        } catch (SourceException | IllegalArgumentException e) {
            form(s, ctx, old, form, e.getMessage());
        } catch (StoreException.Conflict e) {
            form(s, ctx, old, form, "A source with that uid exists already.");
        }
    }


    /// A part of the form as a JSON object; [IllegalArgumentException] says what is wrong.
    private ObjectNode object(String field, String text, boolean required) {
        if (text.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException(field + ": required, a JSON object with a type");
            }
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + ": not JSON (" + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr()) + ")");
        }
        if (!(node instanceof ObjectNode o)) {
            throw new IllegalArgumentException(field + ": must be a JSON object");
        }
        return o;
    }

    private void source(Scope s, Context ctx) {
        Source src = sourceOf(s, ctx);
        Page<InboundRequest> log = sources.requests(src, new PageRequest(50, Pages.iterator(ctx), true));
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("src", src);
        model.put("ingest", ingestBase(ctx) + src.id());
        model.put("verification", pages.pretty(SourceService.visibleVerification(src).toString()));
        model.put("action", pages.pretty(src.action().toString()));
        model.put("log", log.data());
        model.put("next", log.done() ? "" : log.iterator());
        pages.render(ctx, 200, "source.jte", model);
    }

    private void inbound(Scope s, Context ctx) {
        Source src = sourceOf(s, ctx);
        InboundRequest r = sources.request(src, ctx.pathParam("request_id")).orElseThrow(() -> new NotFound("request"));
        String body = r.bodyFile() != null ? "(kept as the file " + r.bodyFile() + ")"
                : r.bodyBase64() ? "(" + r.size() + " bytes, not text)" : pages.pretty(r.body() == null ? "" : r.body());
        pages.render(ctx, 200, "inbound.jte", Map.of("s", s, "src", src, "r", r, "body", body));
    }

    /// Runs a received request's action again, as the API's replay does; answers with the new
    /// request's page, or what stood in the way.
    private void replay(Scope s, Context ctx) throws IOException {
        Source src = sourceOf(s, ctx);
        InboundRequest r = sources.request(src, ctx.pathParam("request_id")).orElseThrow(() -> new NotFound("request"));
        String at = s.base() + "/sources/" + src.id() + "/requests/";
        switch (ingest.replay(src, r)) {
            case IngestResult.Accepted a -> ctx.redirect(at + a.requestId());
            case IngestResult.Duplicate d -> ctx.redirect(at + d.requestId());
            case IngestResult.Unprocessable u -> ctx.redirect(at + u.requestId());
            case IngestResult.CannotReplay c -> pages.render(ctx, 409, "problem.jte", Map.of("title", "Cannot replay",
                    "problem", c.detail()));
            default -> pages.render(ctx, 409, "problem.jte", Map.of("title", "Cannot replay",
                    "problem", "The request could not be run again."));
        }
    }
}
