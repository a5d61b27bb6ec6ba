package io.csvx.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.message.EventType;
import io.csvx.message.EventTypeService;
import io.csvx.message.Events;
import io.csvx.store.StoreException;
import io.csvx.web.Pages.NotFound;
import io.csvx.web.Pages.Scope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/// The event type catalogue edited from the console (the catalogue is the server's, shared by
/// every application; a portal only reads it): a new type, and a type's description, group,
/// deprecated and archived flags and schemas, with the example a schema makes shown as it is typed.
final class EventTypePages {
    /// The event type form as typed.
    record Form(String name, String description, String group, boolean deprecated, boolean archived,
                String schemas) {
    }

    private final Pages pages;
    private final EventTypeService eventTypes;
    private final ObjectMapper json = Events.newMapper();

    EventTypePages(Pages pages, EventTypeService eventTypes) {
        this.pages = pages;
        this.eventTypes = eventTypes;
    }

    void routes(RoutesConfig routes, String base) {
        routes.get(base + "/event-types/new", pages.scoped(false, s -> ctx ->
                form(s, ctx, null, new Form("", "", "", false, false, ""), "")));
        routes.post(base + "/event-types", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> save(s, ctx, null))));
        routes.post(base + "/event-types/example", pages.scoped(false, s -> pages.change(s.viewer(), ctx -> example(ctx))));
        routes.get(base + "/event-types/{name}/edit", pages.scoped(false, s -> ctx -> {
            EventType t = typeOf(ctx);
            form(s, ctx, t, new Form(t.name(), t.description(), t.groupName() == null ? "" : t.groupName(),
                    t.deprecated(), t.archived(), t.schemas() == null ? "" : pages.pretty(t.schemas())), "");
        }));
        routes.post(base + "/event-types/{name}/edit", pages.scoped(false, s -> pages.change(s.viewer(),
                ctx -> save(s, ctx, typeOf(ctx)))));
    }

    private EventType typeOf(Context ctx) {
        return eventTypes.find(ctx.pathParam("name")).orElseThrow(() -> new NotFound("event type"));
    }

    private void form(Scope s, Context ctx, EventType t, Form f, String problem) {
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("t", t);
        model.put("f", f);
        model.put("problem", problem);
        pages.render(ctx, problem.isEmpty() ? 200 : 422, "eventTypeEdit.jte", model);
    }

    /// The schemas as typed, as the text the catalogue keeps; [IllegalArgumentException] says what is wrong.
    private String schemas(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Schemas: not JSON (" + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr()) + ").");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Schemas: a JSON object of versions to JSON schemas, e.g. {\"1\": {…}}.");
        }
        return node.toString();
    }

    /// The example payload the schemas being typed make (what send-example sends), or the problem.
    private void example(Context ctx) {
        String body;
        String problem = "";
        try {
            String schemas = schemas(ctx.formParam("schemas"));
            Instant now = pages.now();
            Optional<String> example = eventTypes.example(new EventType("preview", "", false, false, null, null,
                    schemas, now, now), 0);
            body = example.map(pages::pretty).orElse("");
            if (body.isEmpty()) {
                problem = "No schema yet: send-example needs one to make an example from.";
            }
        } catch (IllegalArgumentException e) {
            body = "";
            problem = e.getMessage();
        }
        pages.render(ctx, 200, "preview.jte", Map.of("contentType", problem.isEmpty() ? "application/json" : "",
                "body", problem.isEmpty() ? body : problem));
    }

    private void save(Scope s, Context ctx, EventType old) {
        Form f = new Form(old != null ? old.name() : Pages.field(ctx, "name"), Pages.field(ctx, "description"),
                Pages.field(ctx, "group"),
                ctx.formParam("deprecated") != null, ctx.formParam("archived") != null,
                ctx.formParam("schemas") == null ? "" : ctx.formParam("schemas"));
        String problem = "";
        String schemas = null;
        if (!EventType.isName(f.name())) {
            problem = "The name holds letters, digits, '-', '_' and '.' (up to " + EventType.MAX_NAME + "), e.g. order.created.";
        } else if (!f.group().isEmpty() && !EventType.isName(f.group())) {
            problem = "The group holds letters, digits, '-', '_' and '.'.";
        } else if (f.description().length() > 65_536) {
            problem = "The description is too long.";
        } else {
            try {
                schemas = schemas(f.schemas());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (!problem.isEmpty()) {
            form(s, ctx, old, f, problem);
            return;
        }
        Instant now = pages.now();
        EventType next = new EventType(f.name(), f.description(), f.archived(), f.deprecated(),
                old == null ? null : old.featureFlags(), f.group().isEmpty() ? null : f.group(), schemas,
                old == null ? now : old.createdAt(), now);
        try {
            if (old == null) {
                eventTypes.create(next);
            } else {
                eventTypes.update(next);
            }
        } catch (StoreException.Conflict e) {
            form(s, ctx, null, f, "The event type " + f.name() + " exists already.");
            return;
        }
        ctx.redirect(s.base() + "/event-types#type-" + f.name());
    }

}
