package io.csvx.bench;

import io.csvx.config.Config;
import io.csvx.net.AddressClassifier;
import io.csvx.net.Cidr;
import io.csvx.net.OutboundClient;
import io.csvx.node.App;
import io.csvx.store.postgres.PostgresDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx bench`: delivery throughput and latency against a receiver on loopback, all in one process.
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark delivery: a burst to 4 endpoints, a backlog drain, a steady rate, and a healthy endpoint beside a slow one, with the raw POST rate.")
final class BenchCommand implements Runnable {
    @Option(names = "--burst", defaultValue = "10000", description = "Messages in the burst. Default: ${DEFAULT-VALUE}")
    int burst;

    @Option(names = "--endpoints", defaultValue = "4", description = "Endpoints per message in the burst. Default: ${DEFAULT-VALUE}")
    int endpoints;

    @Option(names = "--rate", defaultValue = "1000", description = "Messages per second in the steady phase. Default: ${DEFAULT-VALUE}")
    int rate;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of the steady phase. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--publishers", defaultValue = "64", description = "Concurrent publish requests in the burst. Default: ${DEFAULT-VALUE}")
    int publishers;

    @Option(names = "--endpoint-concurrency", defaultValue = "64", description = "Requests in flight per endpoint. Default: ${DEFAULT-VALUE}")
    int endpointConcurrency;

    @Option(names = "--concurrency", defaultValue = "512", description = "Requests in flight over all endpoints. Default: ${DEFAULT-VALUE}")
    int concurrency;

    @Option(names = "--database", description = "Run the nodes on this PostgreSQL (postgresql://user@host:port/db), each phase in a fresh schema. Default: SQLite.")
    String database;

    @Option(names = "--nodes", defaultValue = "1", description = "Nodes sharing the database, publishes spread over them (more than 1 needs --database). Default: ${DEFAULT-VALUE}")
    int nodes;

    private static final String TOKEN = "csvx_bench_token";
    private static final String RAW_ID = "msg_0354VsTPkBuyX60o2gGZsN";
    private static final String RAW_SIGNATURE = "v1,2JXV+jhPDUvvpmJ6CJ4C+yIXtzIqHtFqO0iy+73giKg=";

    @Override
    public void run() {
        try {
            bench();
        } catch (Exception e) {
            throw new IllegalStateException("benchmark failed", e);
        }
    }

    private void bench() throws Exception {
        if (nodes < 1 || nodes > 1 && database == null) {
            throw new IllegalArgumentException("--nodes above 1 needs --database: nodes share a PostgreSQL database");
        }
        int total = burst + rate * seconds + 1000;
        Receiver receiver = new Receiver(total);
        Server server = receiver.listen();
        int receiverPort = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        Path data = Files.createTempDirectory("csvx-bench");
        Config config = config(data);
        HttpClient client = OutboundClient.forApi(256);
        System.out.printf("CSV-X delivery benchmark: %d cores, Java %s, %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), database == null ? "SQLite in " + data
                        : nodes + " node" + (nodes == 1 ? "" : "s") + " on PostgreSQL " + PostgresDb.redact(
                        PostgresDb.jdbcUrl(database)));
        List<App> running = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                running.add(App.start(i == 0 ? config : config.withDataDir(Files.createTempDirectory("csvx-bench-node"))));
            }
            List<String> apis = running.stream().map(a -> "http://127.0.0.1:" + a.port() + "/api/v1").toList();
            String api = apis.getFirst();
            String target = "http://127.0.0.1:" + receiverPort + "/hook/";

            post(client, api + "/app", "{\"name\":\"bench\",\"uid\":\"bench\"}");
            for (int i = 0; i < endpoints; i++) {
                post(client, api + "/app/bench/endpoint", "{\"url\":\"" + target + "burst" + i + "\",\"eventTypes\":[\"burst\"]}");
            }
            post(client, api + "/app/bench/endpoint", "{\"url\":\"" + target + "steady\",\"eventTypes\":[\"steady\"]}");

            // A first, unreported burst warms the JIT for everything below.
            runBurst(client, apis, receiver, burst, false);

            // The raw rate uses a client built exactly as the dispatcher's (guarded resolver, same limits).
            HttpClient outbound = OutboundClient.start(new AddressClassifier(config.allowTargets()),
                    config.concurrency(), Duration.ofSeconds(5));
            rawPostRate(outbound, target + "raw", 20_000, config.endpointConcurrency()); // warm-up
            double raw = rawPostRate(outbound, target + "raw", 40_000, config.endpointConcurrency());
            outbound.stop();
            System.out.printf("raw POST rate: the delivery HTTP client, same receiver, %d in flight: %,.0f requests/s%n",
                    config.endpointConcurrency(), raw);

            // Burst: every message to every burst endpoint.
            runBurst(client, apis, receiver, burst, true);

            drain(client, receiver, target);

            // Steady: a fixed rate; latency from just before the publish request to receipt.
            int n = rate * seconds;
            long[] sorted = atRate(client, apis, receiver, "steady", n, rate);
            System.out.printf("steady: %,d messages at %,d/s to 1 endpoint: publish-to-receipt p50 %.1f ms, p99 %.1f ms,"
                            + " max %.1f ms%s%n", n, rate, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 1.0),
                    sorted.length == n ? "" : " (INCOMPLETE: " + sorted.length + " received)");

            // Filters: the publish rate with 10 endpoints that take none of the messages, first by
            // event type, then by a payload filter evaluated on every message: the filters' cost
            for (int i = 0; i < 10; i++) {
                post(client, api + "/app/bench/endpoint", "{\"url\":\"" + target + "never" + i
                        + "\",\"eventTypes\":[\"other\"]}");
            }
            for (int i = 0; i < 10; i++) {
                post(client, api + "/app/bench/endpoint", "{\"url\":\"" + target + "filtered" + i
                        + "\",\"eventTypes\":[\"filtered\"],\"filter\":\"rows > 5000 and file startsWith 'x-'\"}");
            }
            publishAll(client, apis, "unfiltered", 5_000); // warm-up
            publishAll(client, apis, "filtered", 5_000);
            double[] byType = new double[2];
            double[] byFilter = new double[2];
            for (int round = 0; round < 2; round++) { // alternating, as the machine's pace drifts
                byType[round] = 10_000 / publishAll(client, apis, "unfiltered", 10_000);
                byFilter[round] = 10_000 / publishAll(client, apis, "filtered", 10_000);
            }
            System.out.printf("filters: publishing 10,000 messages past 10 endpoints that take none: %,.0f and %,.0f"
                    + " messages/s (by event type), %,.0f and %,.0f messages/s (each payload checked by 10 filters)%n",
                    byType[0], byType[1], byFilter[0], byFilter[1]);

            // Neighbour: 2,000 messages at 200/s to a healthy endpoint, alone, then beside one that
            // answers in 3 s (the receiver holds its requests); the healthy one's latency in both
            post(client, api + "/app/bench/endpoint", "{\"url\":\"" + target + "nb-fast\",\"eventTypes\":[\"nb-alone\",\"nb\"]}");
            long[] alone = atRate(client, apis, receiver, "nb-alone", 2_000, 200);
            post(client, api + "/app/bench/endpoint", "{\"url\":\"" + target + "nb-slow\",\"eventTypes\":[\"nb\"]}");
            long[] beside = atRate(client, apis, receiver, "nb", 2_000, 200);
            System.out.printf("neighbour: 2,000 messages at 200/s; the healthy endpoint's publish-to-receipt alone p50 %.1f ms,"
                            + " p99 %.1f ms; beside an endpoint answering in 3 s p50 %.1f ms, p90 %.1f ms, p99 %.1f ms,"
                            + " max %.1f ms%s%n", pct(alone, 0.50), pct(alone, 0.99), pct(beside, 0.50), pct(beside, 0.90),
                    pct(beside, 0.99), pct(beside, 1.0), beside.length == 2_000 ? ""
                            : " (INCOMPLETE: " + beside.length + " received)");
        } finally {
            running.forEach(App::close);
            client.stop();
            server.stop();
            schemas.forEach(BenchCommand::dropSchema);
        }
    }

    /// Publishes `n` messages of `type` at `rate` a second; answers the publish-to-receipt times
    /// (nanoseconds, sorted) of those received within a minute after.
    private long[] atRate(HttpClient client, List<String> apis, Receiver receiver, String type, int n, int rate)
            throws InterruptedException {
        receiver.reset();
        long[] sentAt = new long[n];
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        Semaphore unbounded = new Semaphore(Integer.MAX_VALUE);
        for (int i = 0; i < n; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sentAt[i] = System.nanoTime();
            unbounded.acquire();
            publishAsync(client, apis.get(i % apis.size()), type, i, unbounded);
        }
        receiver.await(n, 60);
        long[] latencies = new long[n];
        int got = 0;
        for (int i = 0; i < n; i++) {
            long at = receiver.receivedAt(i);
            if (at > 0) {
                latencies[got++] = at - sentAt[i];
            }
        }
        long[] sorted = Arrays.copyOf(latencies, got);
        Arrays.sort(sorted);
        return sorted;
    }

    /// Backlog drain: an API-only node stores the burst, then a delivering node starts on the same
    /// data and sends it all; this is the delivery engine's rate without publishing competing for the CPU.
    private void drain(HttpClient client, Receiver receiver, String target) throws Exception {
        Path data = Files.createTempDirectory("csvx-bench-drain");
        Config base = config(data);
        try (App apiOnly = App.start(base.withDispatch(false))) {
            String api = "http://127.0.0.1:" + apiOnly.port() + "/api/v1";
            post(client, api + "/app", "{\"name\":\"bench\",\"uid\":\"bench\"}");
            for (int i = 0; i < endpoints; i++) {
                post(client, api + "/app/bench/endpoint", "{\"url\":\"" + target + "drain" + i + "\"}");
            }
            double seconds = publishAll(client, List.of(api), burst);
            System.out.printf("drain: an API-only node stored %,d messages (%,d deliveries) in %.2f s: %,.0f messages/s%n",
                    burst, (long) burst * endpoints, seconds, burst / seconds);
        }
        receiver.reset();
        long t0 = System.nanoTime();
        List<App> workers = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                workers.add(App.start(i == 0 ? base : base.withDataDir(Files.createTempDirectory("csvx-bench-drain"))));
            }
            long expected = (long) burst * endpoints;
            boolean complete = receiver.await(expected, 300);
            long t1 = System.nanoTime();
            System.out.printf("drain: %,d queued deliveries sent by %s in %.2f s: %,.0f deliveries/s%s%n",
                    receiver.count(), nodes == 1 ? "a fresh node" : nodes + " fresh nodes", (t1 - t0) / 1e9,
                    receiver.count() / ((t1 - t0) / 1e9), complete ? "" : " (INCOMPLETE)");
        } finally {
            workers.forEach(App::close);
        }
    }

    private void runBurst(HttpClient client, List<String> apis, Receiver receiver, int messages, boolean report)
            throws InterruptedException {
        receiver.reset();
        long t0 = System.nanoTime();
        double publishSeconds = publishAll(client, apis, messages);
        long expected = (long) messages * endpoints;
        boolean complete = receiver.await(expected, 300);
        long t1 = System.nanoTime();
        if (report) {
            System.out.printf("burst: %,d messages x %d endpoints published in %.2f s (%,.0f messages/s)%n",
                    messages, endpoints, publishSeconds, messages / publishSeconds);
            System.out.printf("burst: %,d deliveries received in %.2f s: %,.0f deliveries/s%s%n",
                    receiver.count(), (t1 - t0) / 1e9, receiver.count() / ((t1 - t0) / 1e9),
                    complete ? "" : " (INCOMPLETE)");
        }
    }

    /// Publishes `messages` burst messages, `publishers` at a time; returns the seconds until all were answered.
    private double publishAll(HttpClient client, List<String> apis, int messages) throws InterruptedException {
        return publishAll(client, apis, "burst", messages);
    }

    private double publishAll(HttpClient client, List<String> apis, String type, int messages)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(publishers);
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            inFlight.acquire();
            publishAsync(client, apis.get(i % apis.size()), type, i, inFlight);
        }
        inFlight.acquire(publishers);
        inFlight.release(publishers);
        return (System.nanoTime() - t0) / 1e9;
    }

    /// One key for every node of the run: nodes sharing a database must seal alike.
    private final String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));

    /// Schemas this run created on PostgreSQL, dropped at the end.
    private final List<String> schemas = new ArrayList<>();

    /// A node's configuration; on PostgreSQL each call (each phase) gets a fresh schema.
    private Config config(Path data) {
        Config c = Config.defaults(data, 0).withToken(TOKEN).withEncryptionKey(key)
                .withAllowTargets(List.of(Cidr.parse("127.0.0.0/8")))
                .withLimits(1 << 20, concurrency, endpointConcurrency);
        if (database == null) {
            return c;
        }
        schemas.add(PostgresDb.createSchema(database, "csvx_bench_" + Long.toHexString(System.nanoTime())));
        return c.withDatabase(schemas.getLast());
    }

    private static void dropSchema(String url) {
        try {
            PostgresDb.dropSchema(url);
        } catch (IllegalStateException e) {
            System.err.println("could not drop a benchmark schema: " + e.getMessage());
        }
    }

    private static double pct(long[] sortedNanos, double p) {
        return Measures.percentile(sortedNanos, p, 1e6);
    }

    private static void publishAsync(HttpClient client, String api, String type, int seq, Semaphore permits) {
        String body = "{\"eventType\":\"" + type + "\",\"payload\":{\"seq\":" + seq
                + ",\"file\":\"orders.csv\",\"rows\":1200,\"status\":\"completed\"}}";
        client.newRequest(api + "/app/bench/msg").method(HttpMethod.POST)
                .headers(h -> h.put("Authorization", "Bearer " + TOKEN))
                .body(new StringRequestContent("application/json", body))
                .send(result -> {
                    permits.release();
                    if (result.isFailed() || result.getResponse().getStatus() != 202) {
                        System.err.println("publish failed: " + (result.isFailed() ? result.getFailure()
                                : "HTTP " + result.getResponse().getStatus()));
                    }
                });
    }

    private static void post(HttpClient client, String url, String json) throws Exception {
        ContentResponse r = client.newRequest(url).method(HttpMethod.POST)
                .headers(h -> h.put("Authorization", "Bearer " + TOKEN))
                .body(new StringRequestContent("application/json", json)).send();
        if (r.getStatus() >= 300) {
            throw new IllegalStateException(url + " -> " + r.getStatus() + " " + r.getContentAsString());
        }
    }

    private static double rawPostRate(HttpClient client, String url, int count, int concurrency) throws Exception {
        String body = "{\"seq\":-1,\"file\":\"orders.csv\",\"rows\":1200,\"status\":\"completed\"}";
        Semaphore permits = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(count);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            permits.acquire();
            client.newRequest(url).method(HttpMethod.POST)
                    .headers(h -> {
                        // the same headers a delivery carries, with values of the same size
                        h.put("webhook-id", RAW_ID).put("webhook-timestamp", "1795731232")
                                .put("webhook-signature", RAW_SIGNATURE).put("svix-id", RAW_ID)
                                .put("svix-timestamp", "1795731232").put("svix-signature", RAW_SIGNATURE);
                    })
                    .body(new StringRequestContent("application/json", body)).send(r -> {
                        permits.release();
                        done.countDown();
                    });
        }
        done.await(120, TimeUnit.SECONDS);
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    /// A minimal Jetty receiver: counts deliveries and notes when each `seq` first arrived.
    private static final class Receiver extends Handler.Abstract {
        private final AtomicLongArray firstSeen;
        private final AtomicLong count = new AtomicLong();

        Receiver(int capacity) {
            this.firstSeen = new AtomicLongArray(capacity);
        }

        Server listen() throws Exception {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(this);
            server.start();
            return server;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            if (request.getHttpURI().getPath().endsWith("/nb-slow")) {
                Thread.sleep(3_000); // a slow customer; counted nowhere
                response.setStatus(204);
                callback.succeeded();
                return true;
            }
            long now = System.nanoTime();
            int seq = seqOf(body);
            if (seq >= 0 && seq < firstSeen.length()) {
                firstSeen.compareAndSet(seq, 0, now);
            }
            if (!request.getHttpURI().getPath().endsWith("/raw")) {
                count.incrementAndGet();
            }
            response.setStatus(204);
            callback.succeeded();
            return true;
        }

        private static int seqOf(String body) {
            int i = body.indexOf("\"seq\":");
            if (i < 0) {
                return -1;
            }
            int j = i + 6;
            int v = 0;
            boolean any = false;
            while (j < body.length() && Character.isDigit(body.charAt(j))) {
                v = v * 10 + (body.charAt(j++) - '0');
                any = true;
            }
            return any ? v : -1;
        }

        void reset() {
            count.set(0);
            for (int i = 0; i < firstSeen.length(); i++) {
                firstSeen.set(i, 0);
            }
        }

        long count() {
            return count.get();
        }

        long receivedAt(int seq) {
            return firstSeen.get(seq);
        }

        boolean await(long expected, int timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (count.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return count.get() >= expected;
        }
    }

}
