package io.csvx.config;

import io.csvx.net.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/// Everything a CSV-X node is configured with, read once at start from flags and environment.
///
/// @param token            admin bearer token; null means read or generate one in the data dir
/// @param retrySchedule    delays before each retry; the first attempt is immediate
/// @param disableAfter     an endpoint failing continuously for this long is disabled
/// @param lease            how long a claimed delivery stays reserved for this node
/// @param pollInterval     how often due deliveries are looked for when nothing signals new work
/// @param concurrency      requests in flight at once, over all endpoints
/// @param endpointConcurrency requests in flight at once to one endpoint
/// @param dispatch         deliver messages; false makes an API-only node that stores and leaves delivery to others
/// @param apiRateLimit     API requests per second before answering 429; 0 for no limit
/// @param maxUploadBytes   largest CSV upload; a larger one answers 413
/// @param jobs             jobs this node runs at once; 0 leaves jobs to other nodes
/// @param database         a PostgreSQL URL shared by several nodes, or null for SQLite in the data dir
/// @param retention        how long attempts, finished deliveries and message payloads are kept
/// @param encryptionKey    base64 of the 32-byte key that seals secrets; null means read or generate
/// @param portalFrameAncestors the origins whose pages may show the app portals in a frame (none: no one)
/// @param appPublishConcurrency publish requests of one application a node handles at once, the
///                         rest waiting their turn
/// @param orderEventsByFile CSV-X's job events carry their input file's id as ordering key (in one
///                         line with the file's `file.uploaded`) rather than the job's
public record Config(
        String host,
        int port,
        Path dataDir,
        String token,
        List<Cidr> allowTargets,
        List<Duration> retrySchedule,
        double retryJitter,
        Duration requestTimeout,
        Duration disableAfter,
        long maxPayloadBytes,
        Duration lease,
        Duration pollInterval,
        int concurrency,
        int endpointConcurrency,
        Duration idempotencyTtl,
        boolean dispatch,
        int apiRateLimit,
        long maxUploadBytes,
        int jobs,
        String database,
        Duration retention,
        String encryptionKey,
        List<String> portalFrameAncestors,
        PublishShare appPublishConcurrency,
        boolean orderEventsByFile) {

    /// What an origin given to `--portal-frame-ancestors` may look like: a scheme and a host
    /// (with `*.` for subdomains), an optional port, nothing that could end the CSP directive.
    private static final java.util.regex.Pattern ORIGIN =
            java.util.regex.Pattern.compile("https?://(\\*\\.)?[a-zA-Z0-9.\\-]+(:[0-9]{1,5})?");

    public static final List<Duration> DEFAULT_RETRY_SCHEDULE = Durations.parseList("5s,5m,30m,2h,5h,10h,10h");

    public Config {
        allowTargets = List.copyOf(allowTargets);
        retrySchedule = List.copyOf(retrySchedule);
        portalFrameAncestors = List.copyOf(portalFrameAncestors);
        for (String origin : portalFrameAncestors) {
            if (!ORIGIN.matcher(origin).matches()) {
                throw new IllegalArgumentException("--portal-frame-ancestors: '" + origin + "' is not an origin like"
                        + " https://example.com or https://*.example.com:8443");
            }
        }
        if (jobs < 0) {
            throw new IllegalArgumentException("--jobs must be 0 or more");
        }
        java.util.Objects.requireNonNull(appPublishConcurrency, "appPublishConcurrency");
        if (concurrency < 1 || endpointConcurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (lease.compareTo(requestTimeout) <= 0) {
            // a delivery is only started with a whole timeout of lease left
            throw new IllegalArgumentException("--lease (" + Durations.format(lease) + ") must be longer than --timeout ("
                    + Durations.format(requestTimeout) + ")");
        }
    }

    /// Defaults for a node listening on `port` with data in `dataDir`; tests and benchmarks start from here.
    public static Config defaults(Path dataDir, int port) {
        return new Config("127.0.0.1", port, dataDir, null, List.of(), DEFAULT_RETRY_SCHEDULE, 0.2,
                Duration.ofSeconds(15), Duration.ofDays(5), 1 << 20, Duration.ofSeconds(30),
                Duration.ofMillis(500), 512, 64, Duration.ofHours(24), true, 0, 1L << 30, 2, null,
                Duration.ofDays(30), null, List.of(), DEFAULT_APP_PUBLISH_CONCURRENCY, false);
    }

    /// What `--app-publish-concurrency` is unless set: `auto` on this machine's cores.
    public static final PublishShare DEFAULT_APP_PUBLISH_CONCURRENCY =
            PublishShare.auto(Runtime.getRuntime().availableProcessors());

    public Config withAppPublishConcurrency(PublishShare share) {
        return edit(b -> b.appPublishConcurrency = share);
    }

    public Config withOrderEventsByFile(boolean byFile) {
        return edit(b -> b.orderEventsByFile = byFile);
    }

    public Config withPortalFrameAncestors(List<String> origins) {
        return edit(b -> b.portalFrameAncestors = origins);
    }

    public Config withEncryptionKey(String base64) {
        return edit(b -> b.encryptionKey = base64);
    }

    public Config withToken(String t) {
        return edit(b -> b.token = t);
    }

    public Config withAllowTargets(List<Cidr> a) {
        return edit(b -> b.allowTargets = a);
    }

    public Config withRetrySchedule(List<Duration> s, double jitter) {
        return edit(b -> {
            b.retrySchedule = s;
            b.retryJitter = jitter;
        });
    }

    public Config withTiming(Duration timeout, Duration disable, Duration leaseFor, Duration poll) {
        return edit(b -> {
            b.requestTimeout = timeout;
            b.disableAfter = disable;
            b.lease = leaseFor;
            b.pollInterval = poll;
        });
    }

    public Config withDispatch(boolean on) {
        return edit(b -> b.dispatch = on);
    }

    public Config withApiRateLimit(int perSecond) {
        return edit(b -> b.apiRateLimit = perSecond);
    }

    public Config withMaxUpload(long bytes) {
        return edit(b -> b.maxUploadBytes = bytes);
    }

    public Config withJobs(int n) {
        return edit(b -> b.jobs = n);
    }

    public Config withDataDir(Path d) {
        return edit(b -> b.dataDir = d);
    }

    public Config withDatabase(String url) {
        return edit(b -> b.database = url);
    }

    public Config withLimits(long maxPayload, int all, int perEndpoint) {
        return edit(b -> {
            b.maxPayloadBytes = maxPayload;
            b.concurrency = all;
            b.endpointConcurrency = perEndpoint;
        });
    }

    /// A copy with some fields changed: what every `with…` method does.
    private Config edit(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /// The fields of a config, open to change; only [#edit] uses it.
    private static final class Builder {
        String host;
        int port;
        Path dataDir;
        String token;
        List<Cidr> allowTargets;
        List<Duration> retrySchedule;
        double retryJitter;
        Duration requestTimeout;
        Duration disableAfter;
        long maxPayloadBytes;
        Duration lease;
        Duration pollInterval;
        int concurrency;
        int endpointConcurrency;
        Duration idempotencyTtl;
        boolean dispatch;
        int apiRateLimit;
        long maxUploadBytes;
        int jobs;
        String database;
        Duration retention;
        String encryptionKey;
        List<String> portalFrameAncestors;
        PublishShare appPublishConcurrency;
        boolean orderEventsByFile;

        Builder(Config c) {
            host = c.host;
            port = c.port;
            dataDir = c.dataDir;
            token = c.token;
            allowTargets = c.allowTargets;
            retrySchedule = c.retrySchedule;
            retryJitter = c.retryJitter;
            requestTimeout = c.requestTimeout;
            disableAfter = c.disableAfter;
            maxPayloadBytes = c.maxPayloadBytes;
            lease = c.lease;
            pollInterval = c.pollInterval;
            concurrency = c.concurrency;
            endpointConcurrency = c.endpointConcurrency;
            idempotencyTtl = c.idempotencyTtl;
            dispatch = c.dispatch;
            apiRateLimit = c.apiRateLimit;
            maxUploadBytes = c.maxUploadBytes;
            jobs = c.jobs;
            database = c.database;
            retention = c.retention;
            encryptionKey = c.encryptionKey;
            portalFrameAncestors = c.portalFrameAncestors;
            appPublishConcurrency = c.appPublishConcurrency;
            orderEventsByFile = c.orderEventsByFile;
        }

        Config build() {
            return new Config(host, port, dataDir, token, allowTargets, retrySchedule, retryJitter, requestTimeout,
                    disableAfter, maxPayloadBytes, lease, pollInterval, concurrency, endpointConcurrency,
                    idempotencyTtl, dispatch, apiRateLimit, maxUploadBytes, jobs, database, retention, encryptionKey,
                    portalFrameAncestors, appPublishConcurrency, orderEventsByFile);
        }
    }
}
