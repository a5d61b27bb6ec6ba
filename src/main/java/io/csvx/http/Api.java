package io.csvx.http;

import io.csvx.file.FileView;
import io.csvx.http.Router.Answer;
import io.csvx.job.JobView;
import io.csvx.message.MessageStore;
import io.csvx.net.TokenBucket;
import io.csvx.tenant.AppToken;
import io.csvx.tenant.Application;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The HTTP API: every route in [#routes], plus auth, error mapping and idempotency around them.
public final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final String APP = "/api/v1/app/{app_id}";
    private static final String EP = APP + "/endpoint/{endpoint_id}";
    private static final String MSG = APP + "/msg/{msg_id}";
    private static final Pattern APP_PATH = Pattern.compile("/api/v1/app/([^/]+)(/.*)?");
    /// The request attribute holding the application-scoped token a request came with, if any.
    static final String APP_TOKEN = "csvx.appToken";
    /// How long a repeat waits for the answer of a request with its key still being handled.
    static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(20);
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(50);
    /// How often this node touches the reservations of the requests it is handling ([#touchReservations]).
    public static final Duration TOUCH_EVERY = Reservations.TOUCH_EVERY;

    /// The buffer Javalin copies an answer through: JSON answers are mostly far smaller, files
    /// and large pages take a few more copies.
    private static final int RESPONSE_COPY_BUFFER = 8192;

    private final Services s;
    private final Http http;
    private final PrometheusMeterRegistry metrics;
    private final TokenBucket rateLimit;
    private final Reservations reservations;

    public Api(Services services, PrometheusMeterRegistry metrics, Clock clock) {
        this.s = services;
        this.reservations = new Reservations(services.idempotency(), clock);
        this.http = new Http(Http.newMapper());
        this.metrics = metrics;
        // all API requests of this node: the configured rate, bursts up to one second's worth
        int rate = services.config().apiRateLimit();
        this.rateLimit = rate > 0 ? new TokenBucket(rate, rate, System::nanoTime) : null;
    }

    /// Starts Javalin on the configured host and port (0 picks a free port), with the API's
    /// routes and `more` (the browser pages).
    public Javalin start(java.util.function.Consumer<RoutesConfig> more) {
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jetty.host = s.config().host();
            cfg.jetty.port = s.config().port();
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrors()));
            // Javalin copies each answer into the response through a buffer of this size, allocated
            // for every request (by default Jetty's output buffer, 32 KiB): for a publish's ~100-byte
            // answer that was a quarter of what the server allocated a delivery
            cfg.http.responseBufferSize = RESPONSE_COPY_BUFFER;
            routes(cfg.routes);
            more.accept(cfg.routes);
        });
        return app.start();
    }

    /// Every route of the API, in one place.
    void routes(RoutesConfig routes) {
        Router r = new Router(routes);
        AppRoutes apps = new AppRoutes(s, http);
        EndpointRoutes eps = new EndpointRoutes(s, http, ctx -> AppRoutes.find(s, ctx));
        EventTypeRoutes types = new EventTypeRoutes(s, http);
        MessageRoutes msgs = new MessageRoutes(s, http, apps, eps);
        FileRoutes files = new FileRoutes(s, http);
        PipelineRoutes pipelines = new PipelineRoutes(s, http);
        JobRoutes jobs = new JobRoutes(s, http);
        SourceRoutes sources = new SourceRoutes(s, http);
        DatasetRoutes datasets = new DatasetRoutes(s, http);

        routes.before("/api/v1/*", this::authenticate);
        routes.before(ctx -> {
            // no text column of any backend holds NUL; refuse it where it enters, in paths and queries
            if (ctx.path().indexOf('\0') >= 0 || ctx.queryParamMap().values().stream().flatMap(List::stream)
                    .anyMatch(v -> v.indexOf('\0') >= 0)) {
                throw ApiError.badRequest("the path or query holds a NUL character");
            }
        });
        r.get("/api/v1/health", "v1.health.get", Answer.empty(204), "Health (503 when the database does not answer)",
                this::health);
        routes.get("/api/v1/health/ping", ctx -> ctx.status(204));
        routes.head("/api/v1/health", this::health);
        routes.head("/api/v1/health/ping", ctx -> ctx.status(204));
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));

        r.get("/api/v1/app", "v1.application.list", Answer.list(Out.ApplicationOut.class),
                "List applications", Query.ORDERED_PAGE, apps::list);
        // 200 when get_if_exists found it
        r.post("/api/v1/app", "v1.application.create", new Answer(201, Out.ApplicationOut.class, false, 200),
                "Create an application", Query.of(Query.NONE, "get_if_exists"), idempotent(apps::create));
        r.get(APP, "v1.application.get", Answer.of(200, Out.ApplicationOut.class), "Get an application", apps::get);
        r.put(APP, "v1.application.update", Answer.foundOrCreated(Out.ApplicationOut.class),
                "Update or create an application", apps::put);
        r.patch(APP, "v1.application.patch", Answer.of(200, Out.ApplicationOut.class),
                "Patch an application", apps::patch);
        r.delete(APP, "v1.application.delete", Answer.empty(204), "Delete an application", apps::delete);

        r.get(APP + "/endpoint", "v1.endpoint.list", Answer.list(Out.EndpointOut.class), "List endpoints", Query.ORDERED_PAGE, eps::list);
        r.post(APP + "/endpoint", "v1.endpoint.create", Answer.of(201, Out.EndpointOut.class),
                "Create an endpoint", idempotent(eps::create));
        r.get(EP, "v1.endpoint.get", Answer.of(200, Out.EndpointOut.class), "Get an endpoint", eps::get);
        r.put(EP, "v1.endpoint.update", Answer.foundOrCreated(Out.EndpointOut.class),
                "Update or create an endpoint", eps::put);
        r.patch(EP, "v1.endpoint.patch", Answer.of(200, Out.EndpointOut.class), "Patch an endpoint", eps::patch);
        r.delete(EP, "v1.endpoint.delete", Answer.empty(204), "Delete an endpoint", eps::delete);
        r.get(EP + "/headers", "v1.endpoint.get-headers", Answer.of(200, Out.EndpointHeadersOut.class),
                "Get endpoint headers", eps::getHeaders);
        r.put(EP + "/headers", "v1.endpoint.update-headers", Answer.empty(204),
                "Set endpoint headers", eps::putHeaders);
        r.patch(EP + "/headers", "v1.endpoint.patch-headers", Answer.empty(204),
                "Patch endpoint headers", eps::patchHeaders);
        r.get(EP + "/secret", "v1.endpoint.get-secret", Answer.of(200, Out.EndpointSecretOut.class),
                "Get the signing secret", eps::getSecret);
        r.post(EP + "/secret/rotate", "v1.endpoint.rotate-secret", Answer.empty(204),
                "Rotate the signing secret", idempotent(eps::rotateSecret));
        TaskRoutes tasks = new TaskRoutes(s, http, eps);
        r.post(EP + "/recover", "v1.endpoint.recover", Answer.of(202, Out.RecoverOut.class),
                "Resend failed messages since a time (a background task)", idempotent(tasks::recover));
        r.post(EP + "/replay-missing", "v1.endpoint.replay-missing", Answer.of(202, Out.RecoverOut.class),
                "Send messages since a time that the endpoint never had (a background task)",
                idempotent(tasks::replayMissing));
        r.post(EP + "/bulk-replay", "v1.endpoint.bulk-replay", Answer.of(202, Out.RecoverOut.class),
                "Send again the messages of a time range the endpoint had (a background task)",
                idempotent(tasks::bulkReplay));
        r.get("/api/v1/background-task", "v1.background-task.list", Answer.list(Out.BackgroundTaskOut.class),
                "List background tasks", Query.of(Query.ORDERED_PAGE, "status", "task"), tasks::list);
        r.get("/api/v1/background-task/{task_id}", "v1.background-task.get", Answer.of(200, Out.BackgroundTaskOut.class),
                "Get a background task", tasks::get);
        r.get(EP + "/stats", "v1.endpoint.get-stats", Answer.of(200, Out.EndpointStats.class),
                "Delivery counts by status", Query.of(Query.NONE, "since", "until"), eps::stats);
        r.get(EP + "/msg", "v1.message-attempt.list-attempted-messages", Answer.list(Out.EndpointMessageOut.class),
                "Messages sent to an endpoint", Query.of(Query.PAGE, "channel", "tag", "status", "before", "after",
                        "with_content", "expanded_statuses", "event_types"), msgs::endpointMessages);

        // operational webhook endpoints: endpoints of the application the operational webhooks keep
        EndpointRoutes ops = new EndpointRoutes(s, http, ctx -> s.operational().application());
        String ow = "/api/v1/operational-webhook/endpoint";
        String owe = ow + "/{endpoint_id}";
        r.get(ow, "v1.operational-webhook.endpoint.list", Answer.list(Out.EndpointOut.class),
                "List operational webhook endpoints", Query.ORDERED_PAGE, ops::list);
        r.post(ow, "v1.operational-webhook.endpoint.create", Answer.of(201, Out.EndpointOut.class),
                "Create an operational webhook endpoint", idempotent(ops::create));
        r.get(owe, "v1.operational-webhook.endpoint.get", Answer.of(200, Out.EndpointOut.class),
                "Get an operational webhook endpoint", ops::get);
        r.put(owe, "v1.operational-webhook.endpoint.upsert", Answer.foundOrCreated(Out.EndpointOut.class),
                "Update or create an operational webhook endpoint", ops::put);
        r.delete(owe, "v1.operational-webhook.endpoint.delete", Answer.empty(204),
                "Delete an operational webhook endpoint", ops::delete);
        r.get(owe + "/secret", "v1.operational-webhook.endpoint.get-secret",
                Answer.of(200, Out.EndpointSecretOut.class), "Get its signing secret", ops::getSecret);
        r.post(owe + "/secret/rotate", "v1.operational-webhook.endpoint.rotate-secret", Answer.empty(204),
                "Rotate its signing secret", idempotent(ops::rotateSecret));
        r.get(owe + "/headers", "v1.operational-webhook.endpoint.get-headers",
                Answer.of(200, Out.EndpointHeadersOut.class), "Get its custom headers", ops::getHeaders);
        r.put(owe + "/headers", "v1.operational-webhook.endpoint.set-headers", Answer.empty(204),
                "Set its custom headers", ops::putHeaders);

        r.get("/api/v1/event-type", "v1.event-type.list", Answer.list(Out.EventTypeOut.class),
                "List event types", Query.of(Query.ORDERED_PAGE, "include_archived", "with_content"), types::list);
        r.post("/api/v1/event-type", "v1.event-type.create", Answer.of(201, Out.EventTypeOut.class),
                "Create an event type", idempotent(types::create));
        r.post("/api/v1/event-type/import/openapi", "v1.event-type.import-openapi", Answer.of(200, Out.ImportOut.class),
                "Create or update event types from an OpenAPI document's webhooks", types::importOpenApi);
        r.get("/api/v1/event-type/{event_type_name}", "v1.event-type.get", Answer.of(200, Out.EventTypeOut.class),
                "Get an event type", types::get);
        r.put("/api/v1/event-type/{event_type_name}", "v1.event-type.update", Answer.foundOrCreated(Out.EventTypeOut.class),
                "Update or create an event type", types::put);
        r.patch("/api/v1/event-type/{event_type_name}", "v1.event-type.patch", Answer.of(200, Out.EventTypeOut.class),
                "Patch an event type", types::patch);
        r.delete("/api/v1/event-type/{event_type_name}", "v1.event-type.delete", Answer.empty(204),
                "Archive an event type", Query.of(Query.NONE, "expunge"), types::delete);

        r.get(APP + "/msg", "v1.message.list", Answer.list(Out.MessageOut.class), "List messages",
                Query.of(Query.PAGE, "channel", "tag", "before", "after", "with_content", "event_types"), msgs::list);
        r.post(APP + "/msg", "v1.message.create", Answer.of(202, Out.MessageOut.class),
                "Publish a message", Query.of(Query.NONE, "with_content"), keptWithTheWork(msgs::create));
        r.get(APP + "/stats/attempts", "v1.application.stats.attempts", Answer.of(200, Out.AppAttemptStatsOut.class),
                "Attempts in a time range by event type and outcome", Query.of(Query.NONE, "since", "until",
                        "event_types"), msgs::attemptStats);
        r.get(APP + "/events", "v1.message.events", Answer.list(Out.MessageOut.class),
                "Messages since an iterator, oldest first, for consumers that poll",
                Query.of(Query.PAGE, "event_types", "channels", "after"), msgs::events);
        r.post(APP + "/msg/precheck/active", "v1.message.precheck", Answer.of(200, Out.PrecheckOut.class),
                "Whether any endpoint would receive such a message", msgs::precheck);
        r.get(MSG + "/raw", "v1.message.get-raw-payload", Answer.of(200, Out.RawPayloadOut.class),
                "A message's payload as published", msgs::raw);
        r.get(MSG, "v1.message.get", Answer.of(200, Out.MessageOut.class), "Get a message", Query.of(Query.NONE, "with_content"),
                msgs::get);
        r.get(MSG + "/endpoint", "v1.message-attempt.list-attempted-destinations",
                Answer.list(Out.MessageEndpointOut.class),
                "Where a message went", Query.PAGE, msgs::destinations);
        r.post(MSG + "/endpoint/{endpoint_id}/resend", "v1.message-attempt.resend", Answer.of(202, Out.EmptyOut.class),
                "Resend a message to an endpoint",
                idempotent(msgs::resend));
        r.get(MSG + "/attempt/{attempt_id}", "v1.message-attempt.get", Answer.of(200, Out.MessageAttemptOut.class),
                "Get an attempt", Query.of(Query.NONE, "expanded_statuses"), msgs::attempt);
        r.get(APP + "/attempt/endpoint/{endpoint_id}", "v1.message-attempt.list-by-endpoint",
                Answer.list(Out.MessageAttemptOut.class),
                "Attempts at an endpoint", Query.of(Query.PAGE, "status", "status_code_class", "channel", "tag",
                        "before", "after", "with_content", "with_msg", "expanded_statuses", "event_types"),
                msgs::attemptsByEndpoint);
        r.get(APP + "/attempt/endpoint/{endpoint_id}/count", "v1.message-attempt.count-by-endpoint",
                Answer.of(200, Out.CountOut.class), "How many attempts at an endpoint pass the filters",
                Query.of(Query.NONE, "status", "status_code_class", "channel", "tag", "before", "after",
                        "event_types"), msgs::countByEndpoint);
        r.get(APP + "/attempt/msg/{msg_id}", "v1.message-attempt.list-by-msg", Answer.list(Out.MessageAttemptOut.class),
                "Attempts of a message", Query.of(Query.PAGE, "status", "status_code_class", "channel", "tag",
                        "endpoint_id", "before", "after", "with_content", "expanded_statuses", "event_types"),
                msgs::attemptsByMessage);

        r.post(APP + "/file", "csvx.file.upload", Answer.of(201, FileView.class),
                "Upload a CSV file (raw body with ?name=, or multipart field 'file';"
                + " ?pipeline= also runs a pipeline; ?dataset= makes it a dataset's next version)",
                Query.of(Query.NONE, "name", "pipeline", "dataset"), files::upload);
        r.get(APP + "/file", "csvx.file.list", Answer.list(FileView.class),
                "List files (?jobId= for what a job wrote)", Query.of(Query.ORDERED_PAGE, "jobId"), files::list);
        r.get(APP + "/file/{file_id}", "csvx.file.get", Answer.of(200, FileView.class),
                "Get a file's description", files::get);
        r.get(APP + "/file/{file_id}/content", "csvx.file.download", Answer.empty(200),
                "Download a file", files::content);
        r.delete(APP + "/file/{file_id}", "csvx.file.delete", Answer.empty(204), "Delete a file", files::delete);

        r.post(APP + "/pipeline", "csvx.pipeline.create", Answer.of(201, Out.PipelineOut.class),
                "Save a pipeline", idempotent(pipelines::create));
        r.get(APP + "/pipeline", "csvx.pipeline.list", Answer.list(Out.PipelineOut.class),
                "List pipelines", Query.ORDERED_PAGE, pipelines::list);
        r.get(APP + "/pipeline/{pipeline_id}", "csvx.pipeline.get", Answer.of(200, Out.PipelineOut.class),
                "Get a pipeline", pipelines::get);
        r.put(APP + "/pipeline/{pipeline_id}", "csvx.pipeline.update", Answer.of(200, Out.PipelineOut.class),
                "Replace a pipeline", pipelines::update);
        r.delete(APP + "/pipeline/{pipeline_id}", "csvx.pipeline.delete", Answer.empty(204),
                "Delete a pipeline", pipelines::delete);

        r.post(APP + "/job", "csvx.job.create", Answer.of(202, JobView.class),
                "Run a pipeline over a file", idempotent(jobs::create));
        r.get(APP + "/job", "csvx.job.list", Answer.list(JobView.class), "List jobs (?fileId=, ?status=)",
                Query.of(Query.ORDERED_PAGE, "fileId", "status"), jobs::list);
        r.get(APP + "/job/{job_id}", "csvx.job.get", Answer.of(200, JobView.class), "Get a job", jobs::get);
        r.post(APP + "/job/{job_id}/cancel", "csvx.job.cancel", Answer.of(202, JobView.class),
                "Cancel a job", jobs::cancel);

        String ds = APP + "/dataset/{dataset_id}";
        r.post(APP + "/dataset", "csvx.dataset.create", Answer.of(201, DatasetRoutes.DatasetOut.class),
                "Save a dataset (files that are versions of one another, compared by key)",
                idempotent(datasets::create));
        r.get(APP + "/dataset", "csvx.dataset.list", Answer.list(DatasetRoutes.DatasetOut.class), "List datasets",
                Query.ORDERED_PAGE, datasets::list);
        r.get(ds, "csvx.dataset.get", Answer.of(200, DatasetRoutes.DatasetOut.class), "Get a dataset", datasets::get);
        r.put(ds, "csvx.dataset.update", Answer.of(200, DatasetRoutes.DatasetOut.class), "Replace a dataset",
                datasets::update);
        r.delete(ds, "csvx.dataset.delete", Answer.empty(204), "Delete a dataset (its files stay)", datasets::delete);
        r.get(ds + "/version", "csvx.dataset.list-versions", Answer.list(DatasetRoutes.VersionOut.class),
                "A dataset's versions", Query.ORDERED_PAGE, datasets::versions);
        r.get(ds + "/diff", "csvx.dataset.get-diff", Answer.of(200, DatasetRoutes.DiffOut.class),
                "The diff between two versions (default: the latest version and the one before)",
                Query.of(Query.NONE, "from", "to"), datasets::diff);
        r.post(ds + "/diff", "csvx.dataset.compare", Answer.of(202, JobView.class),
                "Compare any two versions (a diff job)", idempotent(datasets::compare));
        r.get(ds + "/history", "csvx.dataset.list-diffs", Answer.list(DatasetRoutes.DiffOut.class),
                "Every diff of a dataset, newest first", Query.ORDERED_PAGE, datasets::history);

        String src = APP + "/source/{source_id}";
        r.post(APP + "/source", "csvx.source.create", Answer.of(201, Out.SourceOut.class),
                "Create a source (an incoming webhook endpoint)",
                idempotent(sources::create));
        r.get(APP + "/source", "csvx.source.list", Answer.list(Out.SourceOut.class), "List sources", Query.ORDERED_PAGE,
                sources::list);
        r.get(src, "csvx.source.get", Answer.of(200, Out.SourceOut.class), "Get a source", sources::get);
        r.put(src, "csvx.source.update", Answer.of(200, Out.SourceOut.class), "Replace a source", sources::update);
        r.delete(src, "csvx.source.delete", Answer.empty(204), "Delete a source", sources::delete);
        r.get(src + "/request", "csvx.source.list-requests", Answer.list(Out.InboundRequestOut.class),
                "Requests a source received", Query.ORDERED_PAGE, sources::requests);
        r.get(src + "/request/{request_id}", "csvx.source.get-request", Answer.of(200, Out.InboundRequestOut.class),
                "One received request", sources::request);
        r.post(src + "/request/{request_id}/replay", "csvx.source.replay", Answer.empty(202),
                "Run a received request's action again",
                sources::replay);
        routes.post("/in/{source_id}", sources::ingest);

        r.delete(MSG + "/content", "v1.message.expunge-content", Answer.empty(204),
                "Forget a message's payload for good", msgs::expungeContent);
        r.delete(MSG + "/attempt/{attempt_id}/content", "v1.message-attempt.expunge-content", Answer.empty(204),
                "Forget an attempt's response body for good", msgs::expungeAttemptContent);
        r.post(EP + "/send-example", "v1.endpoint.send-example", Answer.of(202, Out.MessageOut.class),
                "Send an example of an event type to this endpoint", idempotent(msgs::sendExample));

        AuthRoutes auth = new AuthRoutes(s, http);
        r.post("/api/v1/auth/app-portal-access/{app_id}", "v1.authentication.app-portal-access",
                Answer.of(200, AuthRoutes.AppPortalAccessOut.class), "A token for one application's portal",
                auth::appPortalAccess);
        r.post("/api/v1/auth/logout", "v1.authentication.logout", Answer.empty(204), "End the token's session",
                auth::logout);
        r.post("/api/v1/auth/app/{app_id}/expire-all", "v1.authentication.expire-all", Answer.empty(204),
                "End every token of an application", auth::expireAll);

        String openapi = OpenApi.document(r.table(), http.json());
        routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));

        routes.exception(ApiError.class, (e, ctx) -> error(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, ApiError.of(e.getStatus(),
                switch (e.getStatus()) {
                    case 404 -> "not_found";
                    case 405 -> "method_not_allowed";
                    case 413 -> "payload_too_large";
                    default -> "http_error";
                }, e.getStatus() == 404 ? "no route for " + ctx.method() + " " + ctx.path() : e.getMessage())));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, ApiError.of(500, "internal_error", "internal error; see the server log"));
        });
        routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, ApiError.of(404, "not_found", "no route for " + ctx.method() + " " + ctx.path()));
            }
        });
        routes.error(405, ctx -> error(ctx, ApiError.of(405, "method_not_allowed", ctx.method() + " " + ctx.path())));
    }

    /// 204 when this node can reach its database, so a load balancer sends nothing to one that cannot.
    private void health(Context ctx) {
        if (!s.databaseAnswers().getAsBoolean()) {
            throw ApiError.of(503, "unavailable", "the database does not answer");
        }
        ctx.status(204);
    }

    /// Rate limit, then the bearer token; health and the OpenAPI document need neither.
    private void authenticate(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/api/v1/health") || path.equals("/api/v1/openapi.json")) {
            return;
        }
        if (rateLimit != null) {
            long wait = rateLimit.take();
            if (wait > 0) {
                ctx.header("Retry-After", Long.toString(wait));
                throw ApiError.of(429, "rate_limit_exceeded", "more than " + s.config().apiRateLimit()
                        + " requests per second; retry after " + wait + " s");
            }
        }
        String header = ctx.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (s.access().isAdmin(given)) {
            return; // the admin token reaches everything
        }
        AppToken app = given == null ? null : s.access().authenticate(given).orElse(null);
        if (app == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiError.of(401, "authentication_failed", given == null
                    ? "missing 'Authorization: Bearer <token>' header" : "invalid token");
        }
        ctx.attribute(APP_TOKEN, app);
        var m = APP_PATH.matcher(path);
        boolean allowed = m.matches()
                ? PortalScope.allowsApp(app, ctx.method().name(), appIdOf(m.group(1)),
                        m.group(2) == null ? "" : m.group(2))
                : PortalScope.allowsOther(app, ctx.method().name(), path);
        if (!allowed) {
            throw ApiError.of(403, "forbidden", "this token does not allow this request");
        }
    }

    /// The id of the application a path names by id or uid, or null.
    private String appIdOf(String key) {
        return s.tenants().findCached(URLDecoder.decode(key, StandardCharsets.UTF_8)).map(Application::id).orElse(null);
    }

    /// Replays the first response to a POST with the same `idempotency-key` (kept for
    /// `--idempotency-ttl`). A repeat that comes while the first is still handled (an SDK retrying
    /// after its own timeout) waits up to [#IN_FLIGHT_WAIT] for the first's answer, and runs
    /// itself if the first failed; only then is it refused (409). While its request runs, a
    /// reservation is touched every [#TOUCH_EVERY]; one untouched for [Reservations#LEASE] was
    /// left by a node that stopped mid-request, and the next request with the key takes it over
    /// (without that, every retry was refused until the key expired).
    private Handler idempotent(Handler handler) {
        return withKey(handler, (ctx, key) -> {
            String scope = scope(ctx, key);
            Optional<IdempotencyStore.Stored> earlier = reservations.reserve(scope);
            long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
            while (earlier.isPresent() && earlier.get().status() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(IN_FLIGHT_POLL.toMillis());
                earlier = reservations.recheck(scope); // empty when the first failed: this one runs
            }
            if (earlier.isPresent()) {
                replay(ctx, earlier.get());
                return;
            }
            reservations.running(scope);
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                reservations.failed(scope);
                throw e;
            } finally {
                reservations.ended(scope);
            }
            reservations.answered(scope, ctx.status().getCode(), ctx.result());
        });
    }

    /// Touches the reservation of each request this node has been handling for [#TOUCH_EVERY] or
    /// longer, so that no other request takes it over while it runs (called every [#TOUCH_EVERY]).
    public void touchReservations() {
        reservations.touch();
    }

    /// The request attribute that hands a [#keptWithTheWork] handler the key to keep its answer under.
    static final String ANSWER_KEY = "csvx.idempotency.scope";

    /// As [#idempotent], for a handler that keeps its answer under the key ([#ANSWER_KEY]) in the
    /// transaction that does its work, and throws [MessageStore.KeyTaken] when a request with the
    /// same key was answered first: one write, where a reservation, the work and the answer took
    /// three in a row, and no crash between them can leave a key reserved with no answer. A
    /// repeat does the work up to that write, which stores nothing of it, and then reads the
    /// answer to give: repeats are rare, and the first request so pays no lookup. An error stores
    /// nothing, so the key stays free (as with [#idempotent]).
    private Handler keptWithTheWork(Handler handler) {
        return withKey(handler, (ctx, key) -> {
            String scope = scope(ctx, key);
            ctx.attribute(ANSWER_KEY, scope);
            try {
                handler.handle(ctx);
            } catch (MessageStore.KeyTaken e) {
                // committed before this request's write was refused
                replay(ctx, s.idempotency().find(scope)
                        .orElseThrow(() -> new IllegalStateException("no answer kept under " + scope)));
            }
        });
    }

    /// What a request with an idempotency key runs instead of the handler.
    private interface Keyed {
        void handle(Context ctx, String key) throws Exception;
    }

    /// `handler` for a request without an `idempotency-key`, `keyed` for one with.
    private static Handler withKey(Handler handler, Keyed keyed) {
        return ctx -> {
            String key = ctx.header("idempotency-key");
            if (key == null || key.isBlank()) {
                handler.handle(ctx);
            } else {
                keyed.handle(ctx, key);
            }
        };
    }

    private static String scope(Context ctx, String key) {
        return ctx.method() + " " + ctx.path() + " " + key;
    }

    /// Answers as the first request with the key was answered.
    private static void replay(Context ctx, IdempotencyStore.Stored earlier) {
        if (earlier.status() == 0) {
            throw ApiError.conflict("a request with this idempotency-key is still being processed");
        }
        ctx.status(earlier.status()).contentType("application/json");
        if (earlier.body() != null) {
            ctx.result(earlier.body());
        }
    }

    private void error(Context ctx, ApiError e) {
        Object body = e.status == 422 && !e.items.isEmpty()
                ? new Out.ValidationErrorOut(e.items) : new Out.HttpErrorOut(e.code, e.getMessage());
        http.send(ctx, e.status, body);
    }
}
