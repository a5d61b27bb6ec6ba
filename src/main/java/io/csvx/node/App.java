package io.csvx.node;

import io.csvx.config.Config;
import io.csvx.dataset.DatasetService;
import io.csvx.delivery.BackgroundTasks;
import io.csvx.delivery.DeliveryService;
import io.csvx.delivery.Dispatcher;
import io.csvx.delivery.EndpointDirectory;
import io.csvx.delivery.QueueGauges;
import io.csvx.delivery.RetryPolicy;
import io.csvx.endpoint.EndpointService;
import io.csvx.file.FileService;
import io.csvx.http.Api;
import io.csvx.http.Services;
import io.csvx.job.Fetcher;
import io.csvx.job.JobEvents;
import io.csvx.job.JobRunner;
import io.csvx.job.JobService;
import io.csvx.job.PipelineService;
import io.csvx.message.EventTypeService;
import io.csvx.message.MessageService;
import io.csvx.message.MessageStore;
import io.csvx.message.Publisher;
import io.csvx.net.AddressClassifier;
import io.csvx.net.OutboundClient;
import io.csvx.operational.OperationalWebhooks;
import io.csvx.source.IngestService;
import io.csvx.source.SourceService;
import io.csvx.store.Db;
import io.csvx.store.Ids;
import io.csvx.store.OwnerOnly;
import io.csvx.store.Paced;
import io.csvx.store.Sealer;
import io.csvx.store.StoreException;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.postgres.PostgresDb;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.AccessService;
import io.csvx.tenant.TenantService;
import io.csvx.web.Pages;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// One running CSV-X node: wires store, delivery and API together, and takes them apart in order.
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    /// How long a node serves cached applications and endpoints: the time another node's change
    /// may take to be seen here (this node's own changes drop the entries at once).
    private static final Duration CACHE_TTL = Duration.ofSeconds(1);

    private final Stores stores;
    private final HttpClient client;
    private final Dispatcher dispatcher;
    private final JobRunner jobs;
    private final BackgroundTasks tasks;
    private final OperationalWebhooks operational;
    private final TenantService tenants;
    private final Api api;
    private final Javalin web;
    private final ScheduledExecutorService housekeeping;
    /// The JVM's own meters (memory, GC, threads, classes, JIT, CPU) on `/metrics`; the GC's listens
    /// to the JVM until closed.
    private final io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gcMetrics;
    private final String token;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private App(Config config) {
        SecureRandom random = new SecureRandom();
        Ids ids = new Ids();
        AdminToken admin = config.token() != null ? new AdminToken(config.token(), null)
                : AdminToken.read(config.dataDir(), random);
        this.token = admin.value();
        Sealer sealer = new Sealer(encryptionKey(config, random), random);
        this.stores = JdbcStores.create(config.database() == null ? SqliteDb.open(config.dataDir())
                : PostgresDb.open(config.database(), 16), sealer);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.gcMetrics = jvmMeters(meters);
        // Per-endpoint limits are the dispatcher's lanes; the client may open as many connections to one
        // host as the node holds deliveries, so endpoints sharing a host never queue inside the client.
        this.client = OutboundClient.start(new AddressClassifier(config.allowTargets()), config.concurrency(),
                Duration.ofSeconds(5));
        // one identity for this node's leases, on deliveries and jobs alike
        String node = ids.next("node_");
        Clock clock = Clock.systemUTC();
        EndpointService endpoints = new EndpointService(stores.endpoints(), random, CACHE_TTL);
        EndpointDirectory directory = new EndpointDirectory(endpoints, CACHE_TTL);
        endpoints.onChange(directory::invalidate);
        this.dispatcher = new Dispatcher(stores.queue(), config, ids, node, client,
                new RetryPolicy(config.retrySchedule(), config.retryJitter(), random), directory, clock, meters);
        Publisher publisher = new Publisher(stores.messages(), stores.db(), dispatcher, endpoints, config.lease(), ids,
                clock);
        QueueGauges gauges = new QueueGauges(stores.queue(), stores.readings(), endpoints, meters, dispatcher, node,
                clock);
        EventTypeService eventTypes = new EventTypeService(stores.eventTypes());
        eventTypes.registerOwn();
        // on a shared database, file bytes go there too: nodes then share nothing but the database
        FileService files = new FileService(config.dataDir().resolve("files"), stores.files(), ids, publisher,
                config.maxUploadBytes(), config.database() == null ? null : stores.blobs());
        Fetcher fetcher = new Fetcher(client, files, Duration.ofMinutes(5));
        DatasetService datasets = new DatasetService(stores.datasets(), publisher, clock);
        this.jobs = new JobRunner(stores.jobs(), stores.pipelines(), stores.db(), files, ids, node,
                new JobEvents(publisher, config.orderEventsByFile()), fetcher, datasets, config.jobs(), config.lease(), config.pollInterval(), clock,
                meters);
        JobService jobService = new JobService(stores.jobs(), stores.pipelines(), files, ids, jobs);
        PipelineService pipelines = new PipelineService(stores.pipelines());
        IngestService ingest = new IngestService(stores.sources(), pipelines, files, jobService, publisher, ids,
                config.dataDir().resolve("tmp"), config.maxPayloadBytes(), config.maxUploadBytes(), clock);
        this.tenants = new TenantService(stores.apps(), endpoints, CACHE_TTL, clock);
        tenants.onDelete(jobService::cancelAll); // first: a running job stops cancelled, not failed for its files
        tenants.onDelete(files::deleteAll);
        Gauge.builder("csvx.applications.deleting", tenants, TenantService::deleting)
                .description("Applications deleted whose rows are still being removed in the background")
                .register(meters);
        AccessService access = new AccessService(stores.appTokens(), ids, random, clock, CACHE_TTL);
        if (!access.recordAdmin(token)) {
            LOG.warn("this node's admin token is not the one recorded in the database; it replaces it (give every node"
                    + " the same --token)");
        }
        this.operational = new OperationalWebhooks(tenants, endpoints, publisher, clock);
        operational.start();
        dispatcher.observe(operational);
        endpoints.observe(operational);
        this.tasks = new BackgroundTasks(stores.tasks(), endpoints, dispatcher, stores.db(), ids, node, config.lease(),
                clock);
        tasks.onEnd(operational::taskEnded);
        Services services = new Services(config, ids, tenants, access, endpoints, eventTypes,
                new MessageService(stores.messages(), publisher, tenants, endpoints, ids,
                        config.appPublishConcurrency().perApp(), config.appPublishConcurrency().onlyWhenShared(), clock),
                new DeliveryService(stores.queue(), stores.attempts(), dispatcher, stores.db()), tasks, files, pipelines,
                jobService, new SourceService(stores.sources(), pipelines), ingest, datasets, operational,
                stores.idempotency(),
                this::databaseAnswers);
        if (config.dispatch()) {
            dispatcher.start();
        }
        jobs.start();
        tenants.startRemoving();
        stores.db().onWork(() -> {
            dispatcher.wakeUp();
            jobs.wakeUp();
        });
        try {
            Pages pages = new Pages(tenants, endpoints, eventTypes, services.messages(), services.deliveries(), tasks,
                    files, jobService, config.maxUploadBytes(), config.portalFrameAncestors(), gauges, services.sources(), ingest, pipelines,
                    datasets, access, ids, clock);
            this.api = new Api(services, meters, clock);
            this.web = api.start(pages::routes);
        } catch (RuntimeException e) {
            // the port is taken, say: nothing may keep running, and no token is kept or shown
            dispatcher.halt();
            jobs.halt();
            tasks.close();
            tenants.close();
            stopClient();
            stores.close();
            gcMetrics.close();
            throw e;
        }
        admin.keepIfNew();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("csvx-housekeeping").factory());
        housekeeping.scheduleWithFixedDelay(() -> safely(gauges::refresh), 0, QueueGauges.EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> safely(tasks::resumeStale), 0, 5, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> safely(api::touchReservations), Api.TOUCH_EVERY.toMillis(),
                Api.TOUCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> safely(() -> {
            Instant now = Instant.now();
            Instant keysBefore = now.minus(config.idempotencyTtl());
            long keys = paced(() -> stores.idempotency().purge(keysBefore, RETENTION_BATCH));
            Instant requestsBefore = now.minus(IngestService.REQUEST_RETENTION);
            long requests = paced(() -> stores.sources().purge(requestsBefore, RETENTION_BATCH));
            long rejected = paced(() -> stores.sources().pruneRejected(IngestService.REJECTED_KEPT, RETENTION_BATCH));
            Instant cutoff = now.minus(config.retention());
            long expunged = expungePayloads(now, cutoff);
            long attempts = paced(() -> stores.attempts().purge(cutoff, RETENTION_BATCH));
            long finished = paced(() -> stores.queue().purgeFinished(cutoff, RETENTION_BATCH));
            long tokens = paced(() -> stores.appTokens().purge(now, RETENTION_BATCH));
            if (keys + requests + rejected + expunged + attempts + finished + tokens > 0) {
                LOG.info("retention: expunged {} message payloads, removed {} attempts, {} finished deliveries, {}"
                        + " idempotency keys, {} received requests and claims and {} rejected requests beyond each"
                        + " source's newest, and {} expired portal tokens and console sessions", expunged, attempts,
                        finished, keys, requests, rejected, tokens);
            }
        }), 1, 60, TimeUnit.MINUTES);
        LOG.info("CSV-X listening on http://{}:{} with {}", config.host(), web.port(), config.database() == null
                ? "data in " + config.dataDir().toAbsolutePath()
                : "PostgreSQL at " + PostgresDb.redact(PostgresDb.jdbcUrl(config.database())) + ", files in "
                + config.dataDir().toAbsolutePath());
    }

    /// Binds the JVM's meters: what an operator reads beside CSV-X's own (heap, GC pauses, threads,
    /// the JIT's time, CPU); answers the GC's, which must be closed.
    private static io.micrometer.core.instrument.binder.jvm.JvmGcMetrics jvmMeters(PrometheusMeterRegistry meters) {
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(meters);
        var gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
        gc.bindTo(meters);
        return gc;
    }

    /// Key rotation, with every node stopped: seals every secret in the database again under
    /// `newKey` (base64), in batches, safely run again if interrupted. When the old key came from
    /// the data dir's `encryption-key`, the new one replaces it there. Answers how many values were
    /// sealed again.
    public static int rotateKey(Config config, String newKey) {
        SecureRandom random = new SecureRandom();
        byte[] next = Sealer.parseKey(newKey);
        byte[] old = encryptionKey(config, random);
        Db db = config.database() == null ? SqliteDb.open(config.dataDir()) : PostgresDb.open(config.database(), 2);
        try {
            int count = JdbcStores.rotateKey(db, Sealer.rotating(old, next, random));
            if (config.encryptionKey() == null) {
                Path file = config.dataDir().resolve("encryption-key");
                Files.writeString(OwnerOnly.file(file), Base64.getEncoder().encodeToString(next) + "\n",
                        StandardCharsets.UTF_8);
            }
            return count;
        } catch (IOException e) {
            throw new StoreException.Unusable("the secrets are sealed under the new key, but it could not be written to "
                    + config.dataDir() + "/encryption-key: keep it and start the nodes with --encryption-key", e);
        } finally {
            db.close();
        }
    }

    /// The key that seals secrets: the configured one, else the data dir's `encryption-key`,
    /// generated (owner-only) on first start. Nodes sharing a database must be given the same.
    private static byte[] encryptionKey(Config config, SecureRandom random) {
        try {
            if (config.encryptionKey() != null) {
                return Sealer.parseKey(config.encryptionKey());
            }
            Path file = OwnerOnly.directory(config.dataDir()).resolve("encryption-key");
            if (Files.exists(file)) {
                return Sealer.parseKey(Files.readString(file, StandardCharsets.UTF_8));
            }
            byte[] key = new byte[32];
            random.nextBytes(key);
            Files.writeString(OwnerOnly.file(file), Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.UTF_8);
            return key;
        } catch (IllegalArgumentException e) {
            throw new StoreException.Unusable(e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException.Unusable("cannot read or write the encryption key in " + config.dataDir(), e);
        }
    }

    /// True when the database answers within 2 s: `GET /api/v1/health` says 503 otherwise.
    private boolean databaseAnswers() {
        try {
            return stores.db().read(c -> c.isValid(2));
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static App start(Config config) {
        return new App(config);
    }

    public int port() {
        return web.port();
    }

    public String token() {
        return token;
    }

    /// Graceful stop: refuse new requests, hand running jobs back to the queue, let deliveries in
    /// flight finish, hand back the rest, close the store.
    @Override
    public void close() {
        if (stopped.getAndSet(true)) {
            return; // stopped already, or halted
        }
        web.stop();
        housekeeping.shutdownNow();
        tasks.close();
        tenants.close();
        jobs.close();
        dispatcher.close();
        operational.close();
        stopClient();
        stores.close();
        gcMetrics.close();
        LOG.info("CSV-X stopped");
    }

    /// Stops without finishing or releasing work, as a crash would leave it; for tests.
    public void halt() {
        if (stopped.getAndSet(true)) {
            return;
        }
        dispatcher.halt();
        jobs.halt();
        tasks.close();
        tenants.close();
        web.stop();
        housekeeping.shutdownNow();
        stopClient();
        stores.close();
        gcMetrics.close();
    }

    private void stopClient() {
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP client: {}", e.toString());
        }
    }

    /// Rows a retention batch removes (or, over payloads, looks at) a transaction (see [Paced]).
    private static final int RETENTION_BATCH = 1000;

    /// The retention pass over message payloads, a range of ids a batch (see [Paced]); answers how
    /// many payloads it replaced.
    private long expungePayloads(Instant now, Instant cutoff) {
        var pass = new Object() {
            String after = "";
            long expunged;
        };
        paced(() -> {
            MessageStore.Expunged batch = stores.messages().expungeExpired(now, cutoff, pass.after, RETENTION_BATCH);
            pass.after = batch.last();
            pass.expunged += batch.expunged();
            return batch.looked();
        });
        return pass.expunged;
    }

    /// [Paced#untilDone], for the housekeeping thread: interrupted (the node stops), it answers 0
    /// and leaves the rest to the next round.
    private static long paced(java.util.function.IntSupplier batch) {
        try {
            return Paced.untilDone(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("housekeeping: {}", e.toString());
        }
    }

    /// The admin token: the one kept in the data dir, or a new one (`file` set) that is written
    /// there and printed once the server has started, so a node that cannot start keeps none.
    private record AdminToken(String value, Path file) {
        static AdminToken read(Path dataDir, SecureRandom random) {
            Path file = dataDir.resolve("admin-token");
            try {
                if (Files.exists(file)) {
                    return new AdminToken(Files.readString(file, StandardCharsets.UTF_8).trim(), null);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the admin token in " + file, e);
            }
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            return new AdminToken("csvx_" + HexFormat.of().formatHex(bytes), file);
        }

        void keepIfNew() {
            if (file == null) {
                return;
            }
            try {
                OwnerOnly.directory(file.getParent());
                Files.writeString(OwnerOnly.file(file), value + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the admin token to " + file, e);
            }
            System.out.println("Generated admin token (kept in " + file + "; shown only this once):");
            System.out.println("  " + value);
        }
    }
}
