package io.csvx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.net.OutboundClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/// CSV-X as users run it, for the benchmarks that measure it so: `csvx serve` and the receiver
/// ([BenchReceiverCommand]) each in a process of its own, the benchmark a client over HTTP.
final class Wire implements AutoCloseable {
    static final String TOKEN = "csvx_bench_token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final String classPath = System.getProperty("java.class.path");
    private final String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
    private final Path dir;
    private final Process receiverProcess;
    private Process server;
    private Path data;
    final String receiver;
    /// The server's base URL, and its API's.
    private String root;
    String api;
    final HttpClient client;

    /// Starts the receiver; [#serve] starts a server.
    Wire(Path dir, int clientConnections) throws Exception {
        this.dir = dir;
        int receiverPort = Measures.freePort();
        receiverProcess = new ProcessBuilder(java, "-cp", classPath, "io.csvx.Main", "bench-receiver",
                "--port", Integer.toString(receiverPort)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("receiver.log").toFile()).start();
        receiver = "http://127.0.0.1:" + receiverPort;
        client = OutboundClient.forApi(clientConnections);
        client.start();
        Measures.awaitUp(client, receiver + "/stats");
    }

    /// Starts `csvx serve` (stopping the one before) with these JVM options and server options
    /// besides the port, a new data directory, token, key and loopback targets; waits until it answers.
    Process serve(List<String> jvm, List<String> options) throws Exception {
        stopServer();
        int port = Measures.freePort();
        data = Files.createDirectories(dir.resolve("data-" + port));
        return serve(jvm, options, port);
    }

    /// Starts `csvx serve` again on the data directory of the last one (stopped).
    Process serveAgain(List<String> jvm, List<String> options) throws Exception {
        stopServer();
        return serve(jvm, options, Measures.freePort());
    }

    /// The data directory of the last server started.
    Path data() {
        return data;
    }

    private Process serve(List<String> jvm, List<String> options, int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvm);
        command.addAll(List.of("-cp", classPath, "io.csvx.Main", "serve", "--port", Integer.toString(port),
                "--data-dir", data.toString(), "--token", TOKEN, "--encryption-key", key, "--allow-targets",
                "127.0.0.0/8"));
        command.addAll(options);
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server-" + port + ".log").toFile()).start();
        root = "http://127.0.0.1:" + port;
        api = root + "/api/v1";
        Measures.awaitUp(client, api + "/health");
        return server;
    }

    /// The server's `/metrics`, in Prometheus' text format.
    String serverMetrics() throws Exception {
        return request(HttpMethod.GET, root + "/metrics", null).getContentAsString();
    }

    private static final Pattern DELETING =
            Pattern.compile("(?m)^csvx_applications_deleting(?:\\{[^}]*\\})? ([\\d.E+]+)");

    /// Deletes the application `uid` and waits until the server has removed its rows, which it
    /// does in the background (a phase measured meanwhile would measure that too); answers the
    /// seconds from the delete until none is left.
    double deleteApp(String uid) throws Exception {
        long t0 = System.nanoTime();
        request(HttpMethod.DELETE, api + "/app/" + uid, null);
        long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = DELETING.matcher(serverMetrics());
            if (!m.find()) {
                throw new IllegalStateException("the server's /metrics has no csvx_applications_deleting");
            }
            if (Double.parseDouble(m.group(1)) == 0) {
                return (System.nanoTime() - t0) / 1e9;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not remove the application " + uid + " within 30 minutes");
    }

    Process receiverProcess() {
        return receiverProcess;
    }

    /// An application's id and its endpoints' ids and URLs, in the order made.
    record Made(String appId, List<String> endpointIds, List<String> urls) {
    }

    /// Creates an application and an endpoint for each receiver path.
    Made app(String uid, String... paths) throws Exception {
        String appId = JSON.readTree(post(client, api + "/app", "{\"name\":\"" + uid + "\",\"uid\":\"" + uid + "\"}"))
                .path("id").asText();
        List<String> endpointIds = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (String path : paths) {
            urls.add(receiver + path);
            endpointIds.add(JSON.readTree(post(client, api + "/app/" + uid + "/endpoint", "{\"url\":\"" + receiver + path
                    + "\"}")).path("id").asText());
        }
        return new Made(appId, endpointIds, urls);
    }

    /// A message's body: `i` numbers it, `sent` is this machine's clock in microseconds.
    static String message(long i) {
        long sent = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        return "{\"eventType\":\"bench\",\"payload\":{\"sent\":" + sent + ",\"i\":" + i
                + ",\"file\":\"orders.csv\",\"rows\":1200}}";
    }

    void publish(HttpClient via, String app, long i) throws Exception {
        post(via, api + "/app/" + app + "/msg", message(i));
    }

    /// Publishes `n` messages to `app` at `perSecond`, each on a virtual thread of its own (a slow
    /// answer does not hold the next one back); returns when all are answered.
    void atRate(HttpClient via, String app, int n, int perSecond) throws InterruptedException {
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
                    publish(via, app, seq);
                } catch (Exception e) {
                    System.out.println(app + " publish failed: " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /// The upper bounds in milliseconds of the receiver's latency histogram; one more bucket counts the rest.
    static final long[] BUCKETS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

    /// Latencies in milliseconds of the first receipt of each message at a path; `buckets` counts
    /// them up to each of [#BUCKETS_MS] and beyond.
    record Stats(long count, double p50, double p90, double p99, double p999, double max, long[] buckets) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms"
                    + " (%,d received)", p50, p90, p99, p999, max, count);
        }

        /// The histogram as text, a line a bucket that holds any: bound, count, share, bar.
        String histogram() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < buckets.length; i++) {
                if (buckets[i] == 0) {
                    continue;
                }
                String bound = i < BUCKETS_MS.length ? "<= " + BUCKETS_MS[i] + " ms" : "> " + BUCKETS_MS[i - 1] + " ms";
                double share = 100.0 * buckets[i] / count;
                out.append(String.format(Locale.ROOT, "  %10s %,9d %6.2f%% %s%n", bound, buckets[i], share,
                        "#".repeat((int) Math.ceil(share / 2))));
            }
            return out.toString();
        }
    }

    /// How many messages the receiver has had at `path` (a prefix when it ends in `*`), cheaply.
    long count(String path) throws Exception {
        return Long.parseLong(request(client, HttpMethod.GET, receiver + "/count?path=" + path, null)
                .getContentAsString().strip());
    }

    Stats stats(String path) throws Exception {
        JsonNode n = JSON.readTree(request(client, HttpMethod.GET, receiver + "/stats?path=" + path, null)
                .getContentAsString());
        long[] buckets = new long[n.path("buckets").size()];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = n.path("buckets").get(i).asLong();
        }
        return new Stats(n.path("count").asLong(), n.path("p50").asDouble(), n.path("p90").asDouble(),
                n.path("p99").asDouble(), n.path("p999").asDouble(), n.path("max").asDouble(), buckets);
    }

    /// Every receipt at `path` (a prefix when it ends in `*`): `[sent, latency]` in microseconds.
    /// Read as a stream: a long or fast steady phase's answer outgrows what `send()` buffers (2 MiB).
    List<long[]> receipts(String path) throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        client.newRequest(receiver + "/receipts?path=" + path).send(listener);
        int status = listener.get(30, TimeUnit.SECONDS).getStatus();
        if (status != 200) {
            throw new IllegalStateException("the receiver's /receipts answered " + status);
        }
        List<long[]> all = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.indexOf(' ');
                all.add(new long[] {Long.parseLong(line, 0, space, 10), Long.parseLong(line, space + 1, line.length(), 10)});
            }
        }
        return all;
    }

    /// The receiver's figures for `path` once it has `n` messages there, or after `seconds`.
    Stats awaitReceived(String path, long n, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Stats s = stats(path);
        while (s.count() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = stats(path);
        }
        return s;
    }

    void resetReceiver() throws Exception {
        request(client, HttpMethod.POST, receiver + "/reset", null);
    }

    void post(String url, String json) throws Exception {
        post(client, url, json);
    }

    /// Posts `json` and answers the answer's body; fails on a status of 300 or more.
    static String post(HttpClient via, String url, String json) throws Exception {
        ContentResponse r = request(via, HttpMethod.POST, url, json);
        if (r.getStatus() >= 300) {
            throw new IllegalStateException(url + " -> " + r.getStatus() + " " + r.getContentAsString());
        }
        return r.getContentAsString();
    }

    ContentResponse request(HttpMethod method, String url, String json) throws Exception {
        return request(client, method, url, json);
    }

    static ContentResponse request(HttpClient via, HttpMethod method, String url, String json) throws Exception {
        var r = via.newRequest(url).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put("Authorization", "Bearer " + TOKEN));
        if (json != null) {
            r.body(new StringRequestContent("application/json", json));
        }
        return r.send();
    }

    long serverPid() {
        return server.pid();
    }

    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(15, TimeUnit.SECONDS);
            server = null;
        }
    }

    /// Stops every process, then removes the servers' data directories (a full `bench-wire` run
    /// left 4.3 GB of databases behind); the logs stay.
    @Override
    public void close() throws Exception {
        client.stop();
        stopServer();
        receiverProcess.destroy();
        receiverProcess.waitFor(5, TimeUnit.SECONDS);
        try (var dataDirs = Files.list(dir)) {
            for (Path d : dataDirs.filter(p -> p.getFileName().toString().startsWith("data-")).toList()) {
                try (var tree = Files.walk(d)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
