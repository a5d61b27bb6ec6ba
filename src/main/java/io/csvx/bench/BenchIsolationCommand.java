package io.csvx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.net.OutboundClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx bench-isolation`: whether bad neighbours cost a healthy endpoint anything, measured as
/// users run CSV-X: `csvx serve` and the receiver ([BenchReceiverCommand]) each in a process of
/// their own, this process publishing over HTTP. Latency is from just before the publish request
/// to the receiver's receipt (both read the same machine's clock).
@Command(name = "bench-isolation", mixinStandardHelpOptions = true,
        description = "Benchmark isolation (server, receiver and client as separate processes): a healthy endpoint alone and"
                + " beside a slow, a timing-out and a down one; a quiet application during another's flood.")
final class BenchIsolationCommand implements Callable<Integer> {
    @Option(names = "--messages", defaultValue = "2000", description = "Messages in the neighbour phases. Default: ${DEFAULT-VALUE}")
    int messages;

    @Option(names = "--rate", defaultValue = "200", description = "Messages per second in the neighbour phases. Default: ${DEFAULT-VALUE}")
    int rate;

    @Option(names = "--flood", defaultValue = "50000", description = "Messages in the flooding application's burst. Default: ${DEFAULT-VALUE}")
    int flood;

    @Option(names = "--flood-publishers", defaultValue = "64", description = "Concurrent publish requests of the flooding application. Default: ${DEFAULT-VALUE}")
    int floodPublishers;

    @Option(names = "--quiet-rate", defaultValue = "10", description = "Messages per second of the quiet application. Default: ${DEFAULT-VALUE}")
    int quietRate;

    @Option(names = "--timeout", defaultValue = "5s", description = "The server's request timeout (what the hanging endpoint costs each time). Default: ${DEFAULT-VALUE}")
    String timeout;

    @Option(names = "--app-publish-concurrency", description = "The server's --app-publish-concurrency (auto, 0 or a number). Default: the server's")
    String appPublishConcurrency;

    @Option(names = "--server-jvm", defaultValue = "", description = "JVM options for the server process, space-separated (e.g. -XX:+UseZGC). Default: none")
    String serverJvm;

    @Option(names = "--phases", defaultValue = "neighbours,flood", split = ",", description = "Which phases to run. Default: ${DEFAULT-VALUE}")
    List<String> phases;

    private static final String TOKEN = "csvx_bench_token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpClient client;
    /// The quiet application's own client, as another customer's would be: its requests do not
    /// queue behind the flood's in this process.
    private HttpClient quietClient;
    private String api;
    private String receiver;
    private int downPort;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("csvx-bench-isolation");
        int serverPort = Measures.freePort();
        int receiverPort = Measures.freePort();
        downPort = Measures.freePort(); // nothing listens there: connection refused
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        Process receiverProcess = new ProcessBuilder(java, "-cp", cp, "io.csvx.Main", "bench-receiver",
                "--port", Integer.toString(receiverPort)).redirectErrorStream(true)
                .redirectOutput(data.resolve("receiver.log").toFile()).start();
        List<String> serve = new ArrayList<>(List.of(java));
        if (!serverJvm.isBlank()) {
            serve.addAll(List.of(serverJvm.strip().split("\\s+")));
        }
        serve.addAll(List.of("-cp", cp, "io.csvx.Main", "serve", "--port", Integer.toString(serverPort), "--data-dir",
                data.toString(), "--token", TOKEN, "--encryption-key", key, "--allow-targets", "127.0.0.0/8",
                "--timeout", timeout));
        if (appPublishConcurrency != null) {
            serve.addAll(List.of("--app-publish-concurrency", appPublishConcurrency));
        }
        Process server = new ProcessBuilder(serve).redirectErrorStream(true)
                .redirectOutput(data.resolve("server.log").toFile()).start();
        client = OutboundClient.forApi(256);
        client.start();
        quietClient = OutboundClient.forApi(4);
        quietClient.start();
        api = "http://127.0.0.1:" + serverPort + "/api/v1";
        receiver = "http://127.0.0.1:" + receiverPort;
        try {
            Measures.awaitUp(client, api + "/health");
            Measures.awaitUp(client, receiver + "/stats");
            System.out.printf("CSV-X isolation benchmark: %d cores, Java %s; server, receiver and client in separate"
                    + " processes; SQLite in %s; request timeout %s%s%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.version(), data, timeout, (appPublishConcurrency == null ? ""
                            : "; --app-publish-concurrency " + appPublishConcurrency)
                            + (serverJvm.isBlank() ? "" : "; server JVM " + serverJvm));

            // warm-up, unreported: the JIT of all three processes
            post(api + "/app", "{\"name\":\"warm\",\"uid\":\"warm\"}");
            post(api + "/app/warm/endpoint", "{\"url\":\"" + receiver + "/ok/warm\"}");
            atRate("warm", "/ok/warm", Math.max(2000, messages), rate);
            if (phases.contains("flood")) {
                // and the flood's path: publishes at its concurrency, as a server busy for a while has compiled them
                burst("warm", flood / 5);
                awaitReceived("/ok/warm", Math.max(2000, messages) + flood / 5);
            }

            if (phases.contains("neighbours")) {
                neighbourPhase();
            }
            if (phases.contains("flood")) {
                post(api + "/app", "{\"name\":\"flood\",\"uid\":\"flood\"}");
                post(api + "/app/flood/endpoint", "{\"url\":\"" + receiver + "/ok/flood\"}");
                post(api + "/app", "{\"name\":\"quiet\",\"uid\":\"quiet\"}");
                post(api + "/app/quiet/endpoint", "{\"url\":\"" + receiver + "/ok/quiet\"}");
                floodPhase();
            }
        } finally {
            client.stop();
            quietClient.stop();
            server.destroy();
            receiverProcess.destroy();
            server.waitFor(15, TimeUnit.SECONDS);
            receiverProcess.waitFor(5, TimeUnit.SECONDS);
        }
        return 0;
    }

    /// A healthy endpoint alone; then each message also to three healthy endpoints (the same
    /// work, no bad neighbour: the target's yardstick); then instead to a slow, a timing-out and a
    /// down one.
    private void neighbourPhase() throws Exception {
        post(api + "/app", "{\"name\":\"alone\",\"uid\":\"alone\"}");
        post(api + "/app/alone/endpoint", "{\"url\":\"" + receiver + "/ok/alone\"}");
        Stats alone = atRate("alone", "/ok/alone", messages, rate);
        System.out.printf("alone: %,d messages at %d/s to one healthy endpoint: publish-to-receipt %s%n", messages,
                rate, alone);

        post(api + "/app", "{\"name\":\"good\",\"uid\":\"good\"}");
        for (String path : List.of("/ok/good", "/ok/good-2", "/ok/good-3", "/ok/good-4")) {
            post(api + "/app/good/endpoint", "{\"url\":\"" + receiver + path + "\"}");
        }
        Stats good = atRate("good", "/ok/good", messages, rate);
        System.out.printf("good neighbours: the same, each message also to three other healthy endpoints: the first"
                + " one's %s%n", good);
        request(HttpMethod.DELETE, api + "/app/good", null);

        post(api + "/app", "{\"name\":\"neighbours\",\"uid\":\"neighbours\"}");
        post(api + "/app/neighbours/endpoint", "{\"url\":\"" + receiver + "/ok/healthy\"}");
        post(api + "/app/neighbours/endpoint", "{\"url\":\"" + receiver + "/slow/three-seconds\"}");
        post(api + "/app/neighbours/endpoint", "{\"url\":\"" + receiver + "/hang/timing-out\"}");
        post(api + "/app/neighbours/endpoint", "{\"url\":\"http://127.0.0.1:" + downPort + "/down\"}");
        Stats beside = atRate("neighbours", "/ok/healthy", messages, rate);
        System.out.printf("bad neighbours: instead an endpoint answering in 3 s, one that never answers (times out)"
                + " and one that is down: the healthy one's %s%n", beside);
        System.out.printf("  target: p99 within 2x that with good neighbours (%.1f ms): %s%n", 2 * good.p99(),
                beside.p99() <= 2 * good.p99() && beside.count() == messages ? "met" : "NOT MET");
        request(HttpMethod.DELETE, api + "/app/neighbours", null); // its retries would stay for the next phase
    }

    /// Publishes `count` messages of `app` as fast as `floodPublishers` concurrent requests allow;
    /// returns when all are answered.
    private void burst(String app, int count) throws InterruptedException {
        Semaphore permits = new Semaphore(floodPublishers);
        for (int i = 0; i < count; i++) {
            permits.acquire();
            long n = i;
            Thread.ofVirtual().start(() -> {
                try {
                    publish(app, n);
                } catch (Exception e) {
                    System.out.println(app + " publish failed: " + e);
                } finally {
                    permits.release();
                }
            });
        }
        permits.acquire(floodPublishers);
    }

    /// One application publishes `flood` messages as fast as `floodPublishers` concurrent requests allow while
    /// another publishes `quietRate` a second, from the flood's start until its last delivery.
    private void floodPhase() throws Exception {
        AtomicLong quietSent = new AtomicLong();
        List<Long> quietPublish = java.util.Collections.synchronizedList(new ArrayList<>());
        // stopped by a flag, not an interrupt: an interrupted publish may have been delivered uncounted
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread quiet = Thread.ofVirtual().start(() -> {
            long interval = 1_000_000_000L / quietRate;
            long start = System.nanoTime();
            for (long i = 0; !stop.get(); i++) {
                long wait = start + i * interval - System.nanoTime();
                try {
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    long t = System.nanoTime();
                    publish("quiet", i);
                    quietPublish.add(System.nanoTime() - t);
                    quietSent.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("quiet publish failed: " + e);
                }
            }
        });
        long t0 = System.nanoTime();
        burst("flood", flood);
        double published = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (stats("/ok/flood").count() < flood && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        double delivered = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(1000); // the quiet application's last messages
        stop.set(true);
        quiet.join();
        Thread.sleep(500);
        Stats flooded = stats("/ok/flood");
        Stats calm = stats("/ok/quiet");
        System.out.printf("flood: one application published %,d messages in %.1f s (%,.0f/s), all %,d delivered after"
                + " %.1f s; the quiet application's %,d messages at %d/s meanwhile: publish-to-receipt %s%n", flood,
                published, flood / published, flooded.count(), delivered, quietSent.get(), quietRate, calm);
        long[] answered = quietPublish.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("  of which the quiet application's publish requests (until answered 202): p50 %.1f ms,"
                + " p99 %.1f ms%n", pct(answered, 0.5), pct(answered, 0.99));
        System.out.printf("  target: quiet p99 under 50 ms: %s%n",
                calm.p99() < 50 && calm.count() == quietSent.get() ? "met" : "NOT MET");
    }

    private static double pct(long[] sortedNanos, double p) {
        return Measures.percentile(sortedNanos, p, 1e6);
    }

    /// Latencies in milliseconds of the first receipt of each message at a path.
    record Stats(long count, double p50, double p99, double max) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d received)", p50, p99,
                    max, count);
        }
    }

    /// Publishes `n` messages to `app` at `perSecond`, then waits (at most a minute) until `path`
    /// has them all.
    private Stats atRate(String app, String path, int n, int perSecond) throws Exception {
        request(HttpMethod.POST, receiver + "/reset", null);
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long seq = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    publish(app, seq);
                } catch (Exception e) {
                    System.out.println(app + " publish failed: " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return awaitReceived(path, n);
    }

    /// The receiver's figures for `path` once it has `n` messages there, or after a minute.
    private Stats awaitReceived(String path, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Stats s = stats(path);
        while (s.count() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = stats(path);
        }
        return s;
    }

    private void publish(String app, long i) throws Exception {
        long sent = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        post(app.equals("quiet") ? quietClient : client, api + "/app/" + app + "/msg", "{\"eventType\":\"bench\",\"payload\":{\"sent\":" + sent + ",\"i\":" + i
                + ",\"file\":\"orders.csv\",\"rows\":1200}}");
    }

    private Stats stats(String path) throws Exception {
        JsonNode n = JSON.readTree(request(HttpMethod.GET, receiver + "/stats?path=" + path, null).getContentAsString());
        return new Stats(n.path("count").asLong(), n.path("p50").asDouble(), n.path("p99").asDouble(),
                n.path("max").asDouble());
    }

    private void post(String url, String json) throws Exception {
        post(client, url, json);
    }

    private void post(HttpClient via, String url, String json) throws Exception {
        ContentResponse r = request(via, HttpMethod.POST, url, json);
        if (r.getStatus() >= 300) {
            throw new IllegalStateException(url + " -> " + r.getStatus() + " " + r.getContentAsString());
        }
    }

    private ContentResponse request(HttpMethod method, String url, String json) throws Exception {
        return request(client, method, url, json);
    }

    private ContentResponse request(HttpClient via, HttpMethod method, String url, String json) throws Exception {
        var r = via.newRequest(url).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put("Authorization", "Bearer " + TOKEN));
        if (json != null) {
            r.body(new StringRequestContent("application/json", json));
        }
        return r.send();
    }
}
