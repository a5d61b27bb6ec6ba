package io.csvx.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.dataset.DatasetService;
import io.csvx.delivery.Attempt;
import io.csvx.delivery.AttemptStore;
import io.csvx.delivery.BackgroundTask;
import io.csvx.delivery.BackgroundTasks;
import io.csvx.delivery.DeliveryQueue;
import io.csvx.delivery.DeliveryService;
import io.csvx.delivery.OutgoingFormat;
import io.csvx.delivery.QueueGauges;
import io.csvx.csv.CsvFormatException;
import io.csvx.endpoint.Endpoint;
import io.csvx.file.CsvFile;
import io.csvx.file.FileService;
import io.csvx.job.Job;
import io.csvx.job.JobService;
import io.csvx.job.PipelineService;
import io.csvx.servlet.Multipart;
import jakarta.servlet.http.Part;
import io.csvx.endpoint.EndpointService;
import io.csvx.message.EventType;
import io.csvx.message.EventTypeService;
import io.csvx.message.Events;
import io.csvx.message.ExampleResult;
import io.csvx.message.Message;
import io.csvx.message.MessageService;
import io.csvx.message.MessageStore;
import io.csvx.source.IngestService;
import io.csvx.source.SourceService;
import io.csvx.store.Ids;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import io.csvx.tenant.AccessService;
import io.csvx.tenant.Application;
import io.csvx.tenant.Branding;
import io.csvx.tenant.TenantService;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/// The console's and the portals' routes, in [#routes], and their handlers. Every handler
/// resolves who is looking ([Viewer]) and what they may see before it reads anything: a portal
/// session reaches its own application alone, whatever path it asks for.
public final class Pages {
    /// What a page of the console or a portal is about: the application and the path under which
    /// its screens live (`/apps/{id}` in the console, `/portal/{id}` in a portal).
    record Scope(Viewer viewer, Application app, String base, boolean portal, Branding brand) {
        String csrf() {
            return Sessions.csrf(viewer);
        }

        /// The stylesheet that sets a portal's accent colour, or "" for none.
        String brandCss() {
            return brand.accent() == null ? "" : base + "/brand.css";
        }
    }

    /// An event type as the catalogue page shows it: schema and example as formatted JSON text.
    record TypeView(String name, String description, boolean deprecated, String schema, String example) {
    }

    private static final int PAGE = 50;
    /// Failing endpoints the overview lists.
    private static final int FAILING = 50;

    private final TenantService tenants;
    private final EndpointService endpoints;
    private final EventTypeService eventTypes;
    private final MessageService messages;
    private final DeliveryService deliveries;
    private final BackgroundTasks tasks;
    private final FileService files;
    private final JobService jobs;
    private final long maxUpload;
    private final QueueGauges gauges;
    /// The CSP `frame-ancestors` of the portal pages: `--portal-frame-ancestors`, or no one.
    private final String portalFrames;
    private final boolean portalEmbeddable;
    private final AccessService access;
    private final Sessions sessions;
    private final PipelinePages pipelinePages;
    private final SourcePages sourcePages;
    private final DatasetPages datasetPages;
    private final EventTypePages eventTypePages;
    private final BrandingPages brandingPages;
    private final Ids ids;
    private final Clock clock;
    /// The templates of `src/main/jte`, compiled by Maven into this package.
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
            Pages.class.getPackageName());
    private final ObjectMapper json = Events.newMapper();
    private final Map<String, byte[]> assets = new HashMap<>();

    public Pages(TenantService tenants, EndpointService endpoints, EventTypeService eventTypes, MessageService messages,
                 DeliveryService deliveries, BackgroundTasks tasks, FileService files, JobService jobs,
                 long maxUpload, List<String> portalFrameAncestors, QueueGauges gauges, SourceService sources,
                 IngestService ingest, PipelineService pipelines, DatasetService datasets, AccessService access, Ids ids,
                 Clock clock) {
        this.tenants = tenants;
        this.endpoints = endpoints;
        this.eventTypes = eventTypes;
        this.messages = messages;
        this.deliveries = deliveries;
        this.tasks = tasks;
        this.files = files;
        this.jobs = jobs;
        this.maxUpload = maxUpload;
        this.gauges = gauges;
        this.portalFrames = portalFrameAncestors.isEmpty() ? "'none'" : String.join(" ", portalFrameAncestors);
        this.portalEmbeddable = !portalFrameAncestors.isEmpty();
        this.access = access;
        this.sessions = new Sessions(access);
        this.ids = ids;
        this.clock = clock;
        this.pipelinePages = new PipelinePages(this, pipelines, files, jobs, ids);
        this.sourcePages = new SourcePages(this, sources, ingest, ids);
        this.datasetPages = new DatasetPages(this, datasets);
        this.eventTypePages = new EventTypePages(this, eventTypes);
        this.brandingPages = new BrandingPages(this, tenants, files);
        asset("htmx.min.js", "/META-INF/resources/webjars/htmx.org/2.0.8/dist/htmx.min.js");
        asset("console.css", "/io/csvx/web/console.css");
        asset("portal.js", "/io/csvx/web/portal.js");
        asset("pages.js", "/io/csvx/web/pages.js");
    }

    /// Every route of the console and the portals.
    public void routes(RoutesConfig routes) {
        routes.get("/assets/{name}", this::asset);
        routes.get("/", console(v -> ctx -> render(ctx, 200, "overview.jte", overview(Sessions.csrf(v)))));
        routes.get("/overview/stats", console(v -> ctx -> render(ctx, 200, "overviewStats.jte", overview(""))));
        routes.get("/jobs", console(v -> ctx -> jobsPage(v, ctx)));
        routes.get("/deliveries", console(v -> ctx -> {
            String show = String.valueOf(ctx.queryParam("show"));
            DeliveryQueue.Listing which = switch (show) {
                case "retrying" -> DeliveryQueue.Listing.RETRYING;
                case "delivered" -> DeliveryQueue.Listing.DELIVERED;
                case "failed" -> DeliveryQueue.Listing.FAILED;
                default -> DeliveryQueue.Listing.DUE;
            };
            render(ctx, 200, "deliveries.jte", Map.of("csrf", Sessions.csrf(v),
                    "show", which.name().toLowerCase(java.util.Locale.ROOT),
                    "rows", deliveries.list(which, clock.instant(), 100)));
        }));
        routes.get("/login", ctx -> render(ctx, 200, "login.jte", Map.of("problem", "")));
        routes.post("/login", this::login);
        routes.post("/logout", console(v -> change(v, ctx -> {
            access.closeConsole(v.secret());
            Sessions.clear(ctx, Sessions.CONSOLE, "/");
            ctx.redirect("/login");
        })));

        brandingPages.routes(routes);
        routes.get("/apps", console(this::apps));
        routes.post("/apps", console(v -> change(v, createApp(v))));
        app(routes, "/apps/{app_id}", false);

        // a portal: the magic link (/portal/{app_id}#key=…) opens a page that reads the key from
        // the URL's fragment (which never reaches a server or a log) and trades it for the cookie
        routes.post("/portal/{app_id}/session", this::openPortal);
        routes.post("/portal/{app_id}/logout", this::closePortal);
        app(routes, "/portal/{app_id}", true);
        errors(routes);
    }

    /// The screens of one application, for the console or a portal.
    private void app(RoutesConfig routes, String base, boolean portal) {
        routes.get(base, scoped(portal, this::appHome));
        brandingPages.routes(routes, base, portal);
        routes.get(base + "/endpoints/new", scoped(portal, s -> ctx -> {
            require(s.viewer().mayManageEndpoints());
            render(ctx, 200, "endpointNew.jte", Map.of("s", s, "types", eventTypes.catalogue(), "problem", "", "url", ""));
        }));
        routes.post(base + "/endpoints", scoped(portal, s -> change(s.viewer(), ctx -> createEndpoint(s, ctx))));
        routes.get(base + "/endpoints/{endpoint_id}", scoped(portal, s -> ctx -> endpoint(s, ctx, null)));
        routes.get(base + "/endpoints/{endpoint_id}/secret", scoped(portal, s -> ctx -> {
            require(s.viewer().mayReadSecrets());
            Endpoint e = endpointOf(s, ctx);
            render(ctx, 200, "secret.jte", Map.of("secret", endpoints.currentSecret(e, clock.instant())));
        }));
        routes.post(base + "/endpoints/{endpoint_id}/rotate", scoped(portal, s -> change(s.viewer(), ctx -> {
            require(s.viewer().mayRotateSecrets());
            Endpoint e = endpointOf(s, ctx);
            endpoints.rotateSecret(e, null, now(), Duration.ofHours(24));
            ctx.redirect(s.base() + "/endpoints/" + e.id());
        })));
        routes.post(base + "/endpoints/{endpoint_id}/toggle", scoped(portal, s -> change(s.viewer(), ctx -> {
            require(s.viewer().mayManageEndpoints());
            Endpoint e = endpointOf(s, ctx);
            endpoints.setDisabled(e, !e.disabled(), now());
            ctx.redirect(s.base() + "/endpoints/" + e.id());
        })));
        routes.get(base + "/endpoints/{endpoint_id}/edit", scoped(portal, s -> ctx -> {
            require(s.viewer().mayManageEndpoints());
            Endpoint e = endpointOf(s, ctx);
            editPage(s, ctx, e, EndpointForm.of(e, this::pretty), "");
        }));
        routes.post(base + "/endpoints/{endpoint_id}/edit", scoped(portal, s -> change(s.viewer(), ctx -> {
            require(s.viewer().mayManageEndpoints());
            saveEndpoint(s, ctx);
        })));
        routes.post(base + "/endpoints/{endpoint_id}/preview", scoped(portal, s -> change(s.viewer(), ctx -> {
            require(s.viewer().mayManageEndpoints());
            preview(s, ctx);
        })));
        routes.post(base + "/endpoints/{endpoint_id}/example", scoped(portal, s -> change(s.viewer(), ctx -> {
            require(s.viewer().mayCreateAttempts());
            sendExample(s, ctx);
        })));
        routes.post(base + "/endpoints/{endpoint_id}/task", scoped(portal, s -> change(s.viewer(), ctx -> {
            require(s.viewer().mayCreateAttempts());
            startTask(s, ctx);
        })));
        if (!portal) { // files and jobs are the operator's, not the portal's
            routes.get(base + "/files", scoped(false, s -> ctx -> filesPage(s, ctx, "")));
            routes.post(base + "/files", scoped(false, s -> ctx -> upload(s, ctx)));
            routes.get(base + "/files/{file_id}", scoped(false, s -> ctx -> file(s, ctx)));
            routes.get(base + "/files/{file_id}/content", scoped(false, s -> ctx -> download(s, ctx)));
            sourcePages.routes(routes, base);
            eventTypePages.routes(routes, base);
            pipelinePages.routes(routes, base);
            datasetPages.routes(routes, base);
            routes.get(base + "/jobs/{job_id}", scoped(false, s -> ctx -> job(s, ctx, "job.jte")));
            routes.get(base + "/jobs/{job_id}/progress", scoped(false, s -> ctx -> job(s, ctx, "jobProgress.jte")));
            routes.post(base + "/jobs/{job_id}/cancel", scoped(false, s -> change(s.viewer(), ctx -> {
                Job j = jobs.find(s.app().id(), ctx.pathParam("job_id")).orElseThrow(() -> new NotFound("job"));
                if (jobs.cancel(j).isEmpty()) {
                    render(ctx, 409, "problem.jte", Map.of("title", "Already finished",
                            "problem", "Job " + j.id() + " is " + j.status().wire() + " already."));
                    return;
                }
                ctx.redirect(s.base() + "/jobs/" + j.id());
            })));
        }
        routes.get(base + "/event-types", scoped(portal, s -> ctx -> render(ctx, 200, "eventTypes.jte",
                Map.of("s", s, "types", eventTypes.catalogue().stream().map(this::typeView).toList()))));
        routes.get(base + "/messages", scoped(portal, s -> ctx -> messagesPage(s, ctx)));
        routes.get(base + "/messages/{msg_id}", scoped(portal, s -> ctx -> message(s, ctx)));
        routes.post(base + "/messages/{msg_id}/resend/{endpoint_id}", scoped(portal, s -> change(s.viewer(), ctx -> {
            require(s.viewer().mayCreateAttempts());
            Message m = messageOf(s, ctx);
            Endpoint e = endpointOf(s, ctx);
            if (!deliveries.resend(m, e, now())) {
                render(ctx, 409, "problem.jte", Map.of("title", "Endpoint disabled",
                        "problem", "Enable the endpoint before resending to it."));
                return;
            }
            ctx.redirect(s.base() + "/messages/" + m.id());
        })));
    }

    // --- sessions ---------------------------------------------------------------------------

    private void login(Context ctx) {
        String token = ctx.formParam("token");
        if (!access.isAdmin(token == null ? null : token.strip())) {
            render(ctx, 422, "login.jte", Map.of("problem", "That is not this server's admin token."));
            return;
        }
        Sessions.set(ctx, Sessions.CONSOLE, access.openConsole(), "/",
                (int) AccessService.CONSOLE_LIFE.toSeconds());
        ctx.redirect("/");
    }

    private void openPortal(Context ctx) {
        String appId = ctx.pathParam("app_id");
        String token = ctx.formParam("key");
        var t = access.authenticate(token);
        if (t.isEmpty() || !t.get().appId().equals(appId)) {
            render(ctx, 422, "problem.jte", Map.of("title", "Link expired",
                    "problem", "This portal link is not valid any more; ask for a new one."));
            return;
        }
        long seconds = Math.max(1, Duration.between(clock.instant(), t.get().expiresAt()).toSeconds());
        Sessions.setPortal(ctx, token, "/portal/" + appId, (int) Math.min(Integer.MAX_VALUE, seconds),
                portalEmbeddable);
        ctx.redirect("/portal/" + appId);
    }

    private void closePortal(Context ctx) {
        String appId = ctx.pathParam("app_id");
        Optional<Viewer> v = sessions.customer(ctx);
        if (v.isPresent() && Sessions.sameSite(ctx, v.get())) {
            access.logout(((Viewer.Customer) v.get()).token());
        }
        Sessions.clear(ctx, Sessions.PORTAL, "/portal/" + appId);
        render(ctx, 200, "problem.jte", Map.of("title", "Signed out", "problem", "You have signed out of the portal."));
    }

    /// A console page: the operator, or the sign-in page.
    Handler console(Function<Viewer, Handler> page) {
        return ctx -> {
            Optional<Viewer> v = sessions.operator(ctx);
            if (v.isEmpty()) {
                ctx.redirect("/login");
                return;
            }
            page.apply(v.get()).handle(ctx);
        };
    }

    /// An application's page, in the console or a portal: 404 alike for an application that
    /// does not exist and one the viewer may not see, so a portal learns nothing of the others.
    Handler scoped(boolean portal, Function<Scope, Handler> page) {
        return ctx -> {
            Optional<Viewer> v = portal ? sessions.customer(ctx) : sessions.operator(ctx);
            if (v.isEmpty()) {
                if (portal) {
                    render(ctx, 200, "portalStart.jte", Map.of("appId", ctx.pathParam("app_id")));
                } else {
                    ctx.redirect("/login");
                }
                return;
            }
            String key = ctx.pathParam("app_id");
            Optional<Application> app = tenants.find(key).filter(a -> v.get().mayView(a.id()));
            if (app.isEmpty()) {
                throw new NotFound("application");
            }
            String base = (portal ? "/portal/" : "/apps/") + app.get().id();
            // a portal wears its operator's branding; the console is CSV-X's own
            Branding brand = portal ? tenants.branding(app.get()) : Branding.NONE;
            page.apply(new Scope(v.get(), app.get(), base, portal, brand)).handle(ctx);
        };
    }

    /// A change (POST) of a console page: refused unless it carries the session's CSRF token.
    Handler change(Viewer v, Handler h) {
        return ctx -> {
            if (!Sessions.sameSite(ctx, v)) {
                refused(ctx);
                return;
            }
            h.handle(ctx);
        };
    }

    void refused(Context ctx) {
        render(ctx, 403, "problem.jte", Map.of("title", "Refused", "problem",
                "This request did not come from a page of this server; reload the page and try again."));
    }

    // --- console pages ----------------------------------------------------------------------

    private Handler apps(Viewer v) {
        return ctx -> {
            String q = ctx.queryParam("q");
            List<Application> rows;
            String next = null;
            if (q != null && !q.isBlank()) {
                rows = tenants.find(q.strip()).map(List::of).orElse(List.of());
            } else {
                Page<Application> page = tenants.list(new PageRequest(PAGE, iterator(ctx), false));
                rows = page.data();
                next = page.done() ? null : page.iterator();
            }
            render(ctx, 200, "apps.jte", Map.of("csrf", Sessions.csrf(v), "apps", rows, "q", q == null ? "" : q,
                    "next", next == null ? "" : next, "problem", ""));
        };
    }

    /// The overview's figures (the page and the part of it that refreshes itself).
    private Map<String, Object> overview(String csrf) {
        return Map.of("csrf", csrf, "o", Overview.of(gauges.cluster(), clock.instant()),
                "failing", endpoints.failing(FAILING));
    }

    /// Every application's jobs, newest first, by status: where the overview's "jobs running" leads.
    private void jobsPage(Viewer v, Context ctx) {
        Job.Status status = null;
        String wanted = ctx.queryParam("status");
        for (Job.Status st : Job.Status.values()) {
            if (st.wire().equals(wanted)) {
                status = st;
            }
        }
        Page<Job> page = jobs.list(null, new PageRequest(PAGE, iterator(ctx), true), null, status);
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", Sessions.csrf(v));
        model.put("jobs", page.data());
        model.put("status", status == null ? "" : status.wire());
        model.put("statuses", java.util.Arrays.stream(Job.Status.values()).map(Job.Status::wire).toList());
        model.put("next", page.done() ? "" : page.iterator());
        render(ctx, 200, "jobs.jte", model);
    }

    private Handler createApp(Viewer v) {
        return ctx -> {
            String name = ctx.formParam("name");
            String uid = ctx.formParam("uid");
            String problem = null;
            if (name == null || name.isBlank() || name.length() > 1000) { // the API's bounds
                problem = "Give the application a name (up to 1,000 characters).";
            } else if (uid != null && !uid.isBlank() && !Application.isUid(uid)) {
                problem = "The uid: " + Application.UID_RULE + ".";
            }
            if (problem == null) {
                Instant now = now();
                try {
                    Application a = tenants.create(new Application(ids.next(Application.ID_PREFIX),
                            uid == null || uid.isBlank() ? null : uid, name.strip(), null, "{}", now, now));
                    ctx.redirect("/apps/" + a.id());
                    return;
                } catch (StoreException.Conflict e) {
                    problem = "An application with uid '" + uid + "' exists already.";
                }
            }
            Page<Application> page = tenants.list(new PageRequest(PAGE, null, false));
            render(ctx, 422, "apps.jte", Map.of("csrf", Sessions.csrf(v), "apps", page.data(), "q", "",
                    "next", "", "problem", problem));
        };
    }

    // --- application pages ------------------------------------------------------------------

    private Handler appHome(Scope s) {
        return ctx -> {
            List<Endpoint> eps = endpoints.list(s.app().id(), new PageRequest(250, null, false)).data();
            Page<Message> recent = messages.list(s.app().id(), new PageRequest(10, null, true),
                    MessageStore.Filter.NONE);
            render(ctx, 200, "app.jte", Map.of("s", s, "endpoints", eps, "messages", recent.data()));
        };
    }

    private void createEndpoint(Scope s, Context ctx) {
        require(s.viewer().mayManageEndpoints());
        String url = ctx.formParam("url") == null ? "" : ctx.formParam("url").strip();
        String description = ctx.formParam("description") == null ? "" : ctx.formParam("description").strip();
        List<String> types = ctx.formParams("eventTypes").stream().filter(EventType::isName).toList();
        Optional<String> problem = url.isEmpty() ? Optional.of("Give the endpoint's URL.")
                : EndpointService.urlProblem(url).map(p -> "The URL " + p + ".");
        if (problem.isPresent()) {
            render(ctx, 422, "endpointNew.jte", Map.of("s", s, "types", eventTypes.catalogue(), "problem", problem.get(),
                    "url", url));
            return;
        }
        Instant now = now();
        Endpoint e = endpoints.create(new Endpoint(ids.next("ep_"), s.app().id(), null, url, description, false,
                types.isEmpty() ? null : types, null, null, "{}", Map.of(), null, now, now, null), null);
        ctx.redirect(s.base() + "/endpoints/" + e.id());
    }

    private void endpoint(Scope s, Context ctx, String problem) {
        Endpoint e = endpointOf(s, ctx);
        // a task this page started (its id in the address): shown while it runs and once it ended
        String taskId = ctx.queryParam("task");
        Optional<BackgroundTask> task = taskId == null ? Optional.empty()
                : tasks.find(taskId).filter(t -> t.endpointId().equals(e.id()));
        MessageSearch search = MessageSearch.read(ctx);
        Page<MessageStore.EndpointMessage> sent = messages.byEndpoint(e.id(), new PageRequest(PAGE, iterator(ctx), true),
                search.statusCode(), search.filter(), clock.instant());
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("e", e);
        model.put("sent", sent.data());
        model.put("q", search);
        model.put("backlog", endpoints.backlog(e, clock.instant()));
        model.put("next", sent.done() ? "" : sent.iterator());
        model.put("types", eventTypes.catalogue());
        model.put("task", task.orElse(null));
        model.put("problem", problem == null ? "" : problem);
        render(ctx, problem == null ? 200 : 422, "endpoint.jte", model);
    }

    private void editPage(Scope s, Context ctx, Endpoint e, EndpointForm form, String problem) {
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("e", e);
        model.put("f", form);
        model.put("hidden", e.headers().keySet().stream().filter(EndpointService::isSensitive).sorted().toList());
        model.put("types", eventTypes.catalogue());
        model.put("problem", problem);
        render(ctx, problem.isEmpty() ? 200 : 422, "endpointEdit.jte", model);
    }

    /// The edit form's format, read as the API reads it; [IllegalArgumentException] says what is wrong.
    private com.fasterxml.jackson.databind.node.ObjectNode format(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode f;
        try {
            f = json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("format: not JSON (" + e.getOriginalMessage() + ")");
        }
        return OutgoingFormat.parse(f) == OutgoingFormat.RAW ? null : (com.fasterxml.jackson.databind.node.ObjectNode) f;
    }

    private void saveEndpoint(Scope s, Context ctx) {
        Endpoint e = endpointOf(s, ctx);
        EndpointForm form = EndpointForm.read(ctx);
        String problem = EndpointService.urlProblem(form.url()).map(p -> "The URL " + p + ".").orElse("");
        Integer rate = null;
        if (problem.isEmpty() && !form.rate().isEmpty()) {
            try {
                rate = Integer.valueOf(form.rate());
                if (rate < 1 || rate > EndpointService.MAX_RATE) {
                    problem = "The rate limit is 1 to " + EndpointService.MAX_RATE + " messages a second, or empty for none.";
                }
            } catch (NumberFormatException bad) {
                problem = "The rate limit is a whole number of messages a second.";
            }
        }
        if (problem.isEmpty()) {
            problem = form.channelsProblem().orElse("");
        }
        if (problem.isEmpty() && !form.filter().isEmpty()) {
            problem = EndpointService.filterProblem(form.filter()).map(p -> "The payload filter: " + p + ".").orElse("");
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (problem.isEmpty()) {
            // the credentials the page did not show are kept unless ticked for removal or typed anew
            e.headers().forEach((k, v) -> {
                if (EndpointService.isSensitive(k) && !form.remove().contains(k)) {
                    headers.put(k, v);
                }
            });
            try {
                headers.putAll(form.headerMap());
            } catch (IllegalArgumentException bad) {
                problem = bad.getMessage();
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode format = null;
        if (problem.isEmpty()) {
            try {
                format = format(form.format());
            } catch (IllegalArgumentException bad) {
                problem = bad.getMessage();
            }
        }
        if (!problem.isEmpty()) {
            editPage(s, ctx, e, form, problem);
            return;
        }
        List<String> channels = form.channelList();
        endpoints.update(new Endpoint(e.id(), e.appId(), e.uid(), form.url(), form.description(), e.disabled(),
                form.types().isEmpty() ? null : form.types(), channels.isEmpty() ? null : channels, rate, e.metadata(),
                headers, e.failingSince(), e.createdAt(), now(), format, form.filter().isEmpty() ? null : form.filter(),
                form.orderingChoice()));
        ctx.redirect(s.base() + "/endpoints/" + e.id());
    }

    /// What the endpoint would receive, with the format being typed, for an example of an event type.
    private void preview(Scope s, Context ctx) {
        String type = ctx.formParam("previewType");
        Optional<String> payload = type == null ? Optional.empty()
                : eventTypes.find(type).flatMap(t -> eventTypes.example(t, 0));
        String contentType;
        String body;
        try {
            OutgoingFormat f = OutgoingFormat.parse(format(ctx.formParam("format")));
            OutgoingFormat.Rendered r = f.render("msg_example", type == null ? "" : type, payload.orElse("{}"));
            contentType = r.contentType();
            body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
            if (contentType.contains("json")) {
                body = pretty(body);
            }
        } catch (IllegalArgumentException bad) {
            contentType = "";
            body = bad.getMessage();
        }
        render(ctx, 200, "preview.jte", Map.of("contentType", contentType, "body", body));
    }

    /// The ranges the recover and replay forms offer, by their form value.
    private static final Map<String, Duration> SINCE = Map.of("1h", Duration.ofHours(1), "6h", Duration.ofHours(6),
            "24h", Duration.ofDays(1), "3d", Duration.ofDays(3), "7d", Duration.ofDays(7));

    private void sendExample(Scope s, Context ctx) {
        Endpoint e = endpointOf(s, ctx);
        String type = ctx.formParam("eventType");
        Optional<EventType> t = type == null ? Optional.empty() : eventTypes.find(type);
        if (t.isEmpty()) {
            endpoint(s, ctx, "Choose an event type of the catalogue.");
            return;
        }
        switch (messages.sendExample(s.app(), e, t.get(), 0, now())) {
            case ExampleResult.Sent sent -> ctx.redirect(s.base() + "/messages/" + sent.message().id());
            case ExampleResult.NoExample none -> endpoint(s, ctx, "That event type has no schema to make an example from.");
            case ExampleResult.EndpointDisabled off -> endpoint(s, ctx, "The endpoint is disabled; enable it first.");
        }
    }

    private void startTask(Scope s, Context ctx) {
        Endpoint e = endpointOf(s, ctx);
        BackgroundTask.Kind kind = "replay".equals(ctx.formParam("kind")) ? BackgroundTask.Kind.REPLAY_MISSING
                : BackgroundTask.Kind.RECOVER;
        // an exact time (UTC) when given, else one of the ranges
        String at = ctx.formParam("sinceAt") == null ? "" : ctx.formParam("sinceAt").strip();
        Instant since;
        if (!at.isEmpty()) {
            since = MessageSearch.time(at);
            if (since == null || since.isAfter(now())) {
                endpoint(s, ctx, "Write the time as 2026-12-01T10:00 (UTC), and not in the future.");
                return;
            }
        } else {
            Duration range = SINCE.get(String.valueOf(ctx.formParam("since")));
            if (range == null) {
                endpoint(s, ctx, "Choose how far back.");
                return;
            }
            since = now().minus(range);
        }
        Optional<BackgroundTask> t = tasks.start(kind, e, BackgroundTask.Params.range(since, null));
        if (t.isEmpty()) {
            endpoint(s, ctx, "The endpoint is disabled; enable it first.");
            return;
        }
        ctx.redirect(s.base() + "/endpoints/" + e.id() + "?task=" + t.get().id());
    }

    private void filesPage(Scope s, Context ctx, String problem) {
        Page<CsvFile> page = files.list(s.app().id(), new PageRequest(PAGE, iterator(ctx), true), null);
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("files", page.data());
        model.put("next", page.done() ? "" : page.iterator());
        model.put("problem", problem);
        model.put("maxUpload", maxUpload);
        render(ctx, problem.isEmpty() ? 200 : 422, "files.jte", model);
    }

    /// A CSV from the browser's form (multipart, part `file`): stored and described like an API
    /// upload, and the pipelines its name triggers started. The form's CSRF token is checked
    /// once the form is read.
    private void upload(Scope s, Context ctx) throws Exception {
        Part part;
        switch (Multipart.part(ctx.req(), "file", files.spoolDirectory(), maxUpload)) {
            case Multipart.Got got -> part = got.part();
            case Multipart.TooLarge big -> {
                filesPage(s, ctx, "The file is larger than this server takes (" + maxUpload + " bytes).");
                return;
            }
            case Multipart.Malformed bad -> {
                filesPage(s, ctx, "The upload could not be read: " + bad.reason() + ".");
                return;
            }
            case Multipart.Absent none -> {
                filesPage(s, ctx, "Choose a CSV file to upload.");
                return;
            }
        }
        String name = part.getSubmittedFileName();
        if (!Sessions.sameSite(ctx, s.viewer())) {
            part.delete();
            refused(ctx);
            return;
        }
        if (name == null || name.isBlank() || name.length() > 255) {
            part.delete();
            filesPage(s, ctx, "Choose a CSV file to upload.");
            return;
        }
        try (InputStream body = part.getInputStream()) {
            JobService.Upload up = jobs.upload(s.app().id(), name, body, null);
            ctx.redirect(s.base() + "/files/" + up.file().id());
        } catch (FileService.TooLarge e) {
            filesPage(s, ctx, "The file is larger than this server takes (" + maxUpload + " bytes).");
        } catch (CsvFormatException e) {
            filesPage(s, ctx, "The file is not CSV CSV-X can read" + (e.line() > 0 ? " at line " + e.line() : "")
                    + ": " + e.getMessage());
        } finally {
            part.delete();
        }
    }

    private void file(Scope s, Context ctx) throws IOException {
        CsvFile f = files.find(s.app().id(), ctx.pathParam("file_id")).orElseThrow(() -> new NotFound("file"));
        List<Job> ofFile = jobs.list(s.app().id(), new PageRequest(PAGE, null, true), f.id(), null).data();
        render(ctx, 200, "file.jte", Map.of("s", s, "f", f, "rows", files.preview(f, 20), "jobs", ofFile));
    }

    /// A job's page (or the part of it that refreshes while the job runs): its counts, error,
    /// outputs and rejects, and cancel while it is not finished.
    private void job(Scope s, Context ctx, String template) {
        Job j = jobs.find(s.app().id(), ctx.pathParam("job_id")).orElseThrow(() -> new NotFound("job"));
        List<CsvFile> outputs = new ArrayList<>();
        for (String id : j.outputFileIds()) {
            files.find(s.app().id(), id).ifPresent(outputs::add);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("j", j);
        model.put("outputs", outputs);
        model.put("rejects", j.rejectsFileId() == null ? null : files.find(s.app().id(), j.rejectsFileId()).orElse(null));
        render(ctx, 200, template, model);
    }

    private void download(Scope s, Context ctx) throws IOException {
        CsvFile f = files.find(s.app().id(), ctx.pathParam("file_id")).orElseThrow(() -> new NotFound("file"));
        java.nio.file.Path p = files.local(f);
        if (!java.nio.file.Files.exists(p)) {
            throw new NotFound("file");
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + f.name().replaceAll("[^\\w.\\-]", "_") + "\"");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType("application/octet-stream").result(java.nio.file.Files.newInputStream(p));
    }

    private void messagesPage(Scope s, Context ctx) {
        MessageSearch search = MessageSearch.read(ctx);
        Page<Message> page = messages.list(s.app().id(), new PageRequest(PAGE, iterator(ctx), true), search.filter());
        Map<String, Object> model = new HashMap<>();
        model.put("s", s);
        model.put("messages", page.data());
        model.put("q", search);
        model.put("next", page.done() ? "" : page.iterator());
        render(ctx, 200, "messages.jte", model);
    }

    private void message(Scope s, Context ctx) {
        Message m = messageOf(s, ctx);
        List<Attempt> attempts = deliveries.attemptsOfMessage(m.id(), new PageRequest(PAGE, null, true),
                AttemptStore.Filter.NONE).data();
        List<MessageStore.Destination> destinations = messages.destinations(m, clock.instant());
        render(ctx, 200, "message.jte", Map.of("s", s, "m", m, "payload", pretty(m.payload()), "attempts", attempts,
                "destinations", destinations, "filtered", messages.filteredOut(m)));
    }

    // --- helpers ----------------------------------------------------------------------------

    private TypeView typeView(EventType t) {
        return new TypeView(t.name(), t.description(), t.deprecated(), t.schemas() == null ? "" : pretty(t.schemas()),
                eventTypes.example(t, 0).map(this::pretty).orElse(""));
    }

    private Endpoint endpointOf(Scope s, Context ctx) {
        return endpoints.find(s.app().id(), ctx.pathParam("endpoint_id")).orElseThrow(() -> new NotFound("endpoint"));
    }

    private Message messageOf(Scope s, Context ctx) {
        return messages.find(s.app().id(), ctx.pathParam("msg_id")).orElseThrow(() -> new NotFound("message"));
    }

    /// A form field as typed, stripped; "" when absent.
    static String field(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.strip();
    }

    static String iterator(Context ctx) {
        String it = ctx.queryParam("iterator");
        return it == null || it.isBlank() || it.length() > 64 ? null : it;
    }

    String pretty(String payload) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(payload));
        } catch (IOException e) {
            return payload;
        }
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static void require(boolean allowed) {
        if (!allowed) {
            throw new Forbidden();
        }
    }

    /// A page of an application the viewer may not see, or that does not exist.
    static final class NotFound extends RuntimeException {
        NotFound(String what) {
            super("no such " + what, null, false, false);
        }
    }

    /// What the viewer's capabilities do not allow.
    static final class Forbidden extends RuntimeException {
        Forbidden() {
            super("not allowed", null, false, false);
        }
    }

    private void errors(RoutesConfig routes) {
        routes.exception(NotFound.class, (e, ctx) -> render(ctx, 404, "problem.jte", Map.of("title", "Not found",
                "problem", "There is no such page, or it is not yours to see.")));
        routes.exception(Forbidden.class, (e, ctx) -> render(ctx, 403, "problem.jte", Map.of("title", "Not allowed",
                "problem", "Your access does not allow this.")));
    }

    void render(Context ctx, int status, String template, Map<String, Object> model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        headers(ctx);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    /// What every page sends: no script but the jar's own, no framing (but a portal's, by the
    /// origins `--portal-frame-ancestors` names), no caching of what a session sees.
    private void headers(Context ctx) {
        String frames = ctx.path().startsWith("/portal/") ? portalFrames : "'none'";
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self';"
                + " img-src 'self' data:; frame-ancestors " + frames + "; form-action 'self'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin"); // "no-referrer" makes browsers send "Origin: null"
        ctx.header("Cache-Control", "no-store");
    }

    private void asset(Context ctx) {
        byte[] body = assets.get(ctx.pathParam("name"));
        if (body == null) {
            throw new NotFound("asset");
        }
        String name = ctx.pathParam("name");
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
                .result(body);
    }

    private void asset(String name, String resource) {
        try (InputStream in = Pages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + resource);
            }
            assets.put(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
