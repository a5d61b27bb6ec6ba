package io.csvx.cli;

import io.csvx.config.Config;
import io.csvx.config.Durations;
import io.csvx.config.PublishShare;
import io.csvx.net.Cidr;
import io.csvx.node.App;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/// `csvx serve`: runs a node until interrupted. Every flag also reads `CSVX_<FLAG>` from the environment.
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the CSV-X server.")
final class ServeCommand implements Runnable {
    @Option(names = "--host", defaultValue = "${env:CSVX_HOST:-127.0.0.1}", description = "Address to listen on (CSVX_HOST). Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "${env:CSVX_PORT:-8071}", description = "Port (CSVX_PORT). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--data-dir", defaultValue = "${env:CSVX_DATA_DIR:-./csvx-data}", description = "Where the SQLite file and admin token live (CSVX_DATA_DIR). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--encryption-key", defaultValue = "${env:CSVX_ENCRYPTION_KEY}", description = "Base64 of the 32-byte key that seals secrets in the database (CSVX_ENCRYPTION_KEY); generated into the data dir when absent. Every node on one database needs the same.")
    String encryptionKey;

    @Option(names = "--token", defaultValue = "${env:CSVX_TOKEN}", description = "Admin bearer token (CSVX_TOKEN); generated into the data dir when absent.")
    String token;

    @Option(names = "--allow-targets", defaultValue = "${env:CSVX_ALLOW_TARGETS:-}", description = "Comma-separated CIDR ranges the SSRF guard lets through, e.g. 127.0.0.0/8 (CSVX_ALLOW_TARGETS).")
    String allowTargets;

    @Option(names = "--retry-schedule", defaultValue = "${env:CSVX_RETRY_SCHEDULE:-5s,5m,30m,2h,5h,10h,10h}", description = "Delays before each retry (CSVX_RETRY_SCHEDULE). Default: ${DEFAULT-VALUE}")
    String retrySchedule;

    @Option(names = "--retry-jitter", defaultValue = "${env:CSVX_RETRY_JITTER:-0.2}", description = "Spread of each retry delay, as a fraction (CSVX_RETRY_JITTER). Default: ${DEFAULT-VALUE}")
    double retryJitter;

    @Option(names = "--timeout", defaultValue = "${env:CSVX_TIMEOUT:-15s}", description = "Per-request timeout (CSVX_TIMEOUT). Default: ${DEFAULT-VALUE}")
    String timeout;

    @Option(names = "--disable-after", defaultValue = "${env:CSVX_DISABLE_AFTER:-5d}", description = "Disable an endpoint failing this long (CSVX_DISABLE_AFTER). Default: ${DEFAULT-VALUE}")
    String disableAfter;

    @Option(names = "--max-payload", defaultValue = "${env:CSVX_MAX_PAYLOAD:-1048576}", description = "Largest message body in bytes (CSVX_MAX_PAYLOAD). Default: ${DEFAULT-VALUE}")
    long maxPayload;

    @Option(names = "--lease", defaultValue = "${env:CSVX_LEASE:-30s}", description = "How long a claimed delivery is reserved (CSVX_LEASE). Default: ${DEFAULT-VALUE}")
    String lease;

    @Option(names = "--poll-interval", defaultValue = "${env:CSVX_POLL_INTERVAL:-500ms}", description = "How often the queue is polled for due retries (CSVX_POLL_INTERVAL). Default: ${DEFAULT-VALUE}")
    String pollInterval;

    @Option(names = "--concurrency", defaultValue = "${env:CSVX_CONCURRENCY:-512}", description = "Requests in flight over all endpoints (CSVX_CONCURRENCY). Default: ${DEFAULT-VALUE}")
    int concurrency;

    @Option(names = "--endpoint-concurrency", defaultValue = "${env:CSVX_ENDPOINT_CONCURRENCY:-64}", description = "Requests in flight to one endpoint (CSVX_ENDPOINT_CONCURRENCY). Default: ${DEFAULT-VALUE}")
    int endpointConcurrency;

    @Option(names = "--idempotency-ttl", defaultValue = "${env:CSVX_IDEMPOTENCY_TTL:-24h}", description = "How long idempotency keys are remembered (CSVX_IDEMPOTENCY_TTL). Default: ${DEFAULT-VALUE}")
    String idempotencyTtl;

    @Option(names = "--dispatch", defaultValue = "${env:CSVX_DISPATCH:-true}", arity = "1", description = "Deliver messages (CSVX_DISPATCH); false makes an API-only node. Default: ${DEFAULT-VALUE}")
    boolean dispatch;

    @Option(names = "--api-rate-limit", defaultValue = "${env:CSVX_API_RATE_LIMIT:-0}", description = "API requests per second before answering 429 (CSVX_API_RATE_LIMIT); 0 for no limit. Default: ${DEFAULT-VALUE}")
    int apiRateLimit;

    @Option(names = "--app-publish-concurrency", defaultValue = "${env:CSVX_APP_PUBLISH_CONCURRENCY:-auto}", description = "Publish requests of one application handled at once, the rest waiting their turn, so that one application's flood leaves room for the others (CSVX_APP_PUBLISH_CONCURRENCY): auto (twice the cores, at least 4, while another application publishes too), a number (always) or 0 (no limit). Default: ${DEFAULT-VALUE}")
    String appPublishConcurrency;

    @Option(names = "--order-events-by", defaultValue = "${env:CSVX_ORDER_EVENTS_BY:-job}", description = "The ordering key of CSV-X's job events (CSVX_ORDER_EVENTS_BY): job (one job's events in order) or file (every event of one file, its upload first, in order) at endpoints whose ordering is on. Default: ${DEFAULT-VALUE}")
    String orderEventsBy;

    Config config() {
        if (!orderEventsBy.equals("job") && !orderEventsBy.equals("file")) {
            throw new IllegalArgumentException("--order-events-by must be job or file");
        }
        List<Cidr> allowed = Arrays.stream(allowTargets.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Cidr::parse).toList();
        return new Config(host, port, dataDir, token == null || token.isBlank() ? null : token, allowed,
                Durations.parseList(retrySchedule), retryJitter, Durations.parse(timeout), Durations.parse(disableAfter),
                maxPayload, Durations.parse(lease), Durations.parse(pollInterval), concurrency, endpointConcurrency,
                Durations.parse(idempotencyTtl), dispatch, apiRateLimit, maxUpload, jobs,
                database == null || database.isBlank() ? null : database, Durations.parse(retention),
                encryptionKey == null || encryptionKey.isBlank() ? null : encryptionKey.trim(),
                Arrays.stream(portalFrameAncestors.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                PublishShare.parse(appPublishConcurrency, Runtime.getRuntime().availableProcessors()),
                orderEventsBy.equals("file"));
    }

    @Option(names = "--max-upload", defaultValue = "${env:CSVX_MAX_UPLOAD:-1073741824}", description = "Largest CSV upload in bytes (CSVX_MAX_UPLOAD). Default: ${DEFAULT-VALUE}")
    long maxUpload;

    @Option(names = "--database", defaultValue = "${env:CSVX_DATABASE}", description = "postgresql://user[:password]@host:port/db: a PostgreSQL database shared by several nodes (CSVX_DATABASE); JDBC URLs work too. Default: SQLite in --data-dir.")
    String database;

    @Option(names = "--retention", defaultValue = "${env:CSVX_RETENTION:-30d}", description = "How long attempts, finished deliveries and message payloads are kept (CSVX_RETENTION). Default: ${DEFAULT-VALUE}")
    String retention;

    @Option(names = "--portal-frame-ancestors", defaultValue = "${env:CSVX_PORTAL_FRAME_ANCESTORS:-}", description = "Comma-separated origins whose pages may show the app portals in a frame, e.g. https://app.example.com (CSVX_PORTAL_FRAME_ANCESTORS). Default: none.")
    String portalFrameAncestors;

    @Option(names = "--jobs", defaultValue = "${env:CSVX_JOBS:-2}", description = "Jobs (pipeline runs) this node runs at once (CSVX_JOBS); 0 leaves them to other nodes. Default: ${DEFAULT-VALUE}")
    int jobs;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Config config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        App app;
        try {
            app = App.start(config);
        } catch (RuntimeException e) {
            if (Cli.causeOf(e, BindException.class) != null) {
                throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port(), e);
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "csvx-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
