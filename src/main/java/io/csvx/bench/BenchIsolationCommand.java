package io.csvx.bench;

import io.csvx.net.OutboundClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
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

    private Wire wire;
    /// The quiet application's own client, as another customer's would be: its requests do not
    /// queue behind the flood's in this process.
    private HttpClient quietClient;
    private String api;
    private String receiver;
    private int downPort;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("csvx-bench-isolation");
        downPort = Measures.freePort(); // nothing listens there: connection refused
        List<String> options = new ArrayList<>(List.of("--timeout", timeout));
        if (appPublishConcurrency != null) {
            options.addAll(List.of("--app-publish-concurrency", appPublishConcurrency));
        }
        try (Wire w = new Wire(data, 256)) {
            wire = w;
            w.serve(serverJvm.isBlank() ? List.of() : List.of(serverJvm.strip().split("\\s+")), options);
            quietClient = OutboundClient.forApi(4);
            quietClient.start();
            api = w.api;
            receiver = w.receiver;
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
            if (quietClient != null) {
                quietClient.stop();
            }
        }
        return 0;
    }

    /// A healthy endpoint alone; then each message also to three healthy endpoints (the same
    /// work, no bad neighbour: the target's yardstick); then instead to a slow, a timing-out and a
    /// down one.
    private void neighbourPhase() throws Exception {
        post(api + "/app", "{\"name\":\"alone\",\"uid\":\"alone\"}");
        post(api + "/app/alone/endpoint", "{\"url\":\"" + receiver + "/ok/alone\"}");
        Wire.Stats alone = atRate("alone", "/ok/alone", messages, rate);
        System.out.printf("alone: %,d messages at %d/s to one healthy endpoint: publish-to-receipt %s%n", messages,
                rate, alone);

        post(api + "/app", "{\"name\":\"good\",\"uid\":\"good\"}");
        for (String path : List.of("/ok/good", "/ok/good-2", "/ok/good-3", "/ok/good-4")) {
            post(api + "/app/good/endpoint", "{\"url\":\"" + receiver + path + "\"}");
        }
        Wire.Stats good = atRate("good", "/ok/good", messages, rate);
        System.out.printf("good neighbours: the same, each message also to three other healthy endpoints: the first"
                + " one's %s%n", good);
        wire.deleteApp("good");

        post(api + "/app", "{\"name\":\"neighbours\",\"uid\":\"neighbours\"}");
        post(api + "/app/neighbours/endpoint", "{\"url\":\"" + receiver + "/ok/healthy\"}");
        post(api + "/app/neighbours/endpoint", "{\"url\":\"" + receiver + "/slow/three-seconds\"}");
        post(api + "/app/neighbours/endpoint", "{\"url\":\"" + receiver + "/hang/timing-out\"}");
        post(api + "/app/neighbours/endpoint", "{\"url\":\"http://127.0.0.1:" + downPort + "/down\"}");
        Wire.Stats beside = atRate("neighbours", "/ok/healthy", messages, rate);
        System.out.printf("bad neighbours: instead an endpoint answering in 3 s, one that never answers (times out)"
                + " and one that is down: the healthy one's %s%n", beside);
        System.out.printf("  target: p99 within 2x that with good neighbours (%.1f ms): %s%n", 2 * good.p99(),
                beside.p99() <= 2 * good.p99() && beside.count() == messages ? "met" : "NOT MET");
        wire.deleteApp("neighbours"); // its retries would stay for the next phase
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
        Wire.Stats flooded = stats("/ok/flood");
        Wire.Stats calm = stats("/ok/quiet");
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

    /// Publishes `n` messages to `app` at `perSecond`, then waits (at most a minute) until `path`
    /// has them all.
    private Wire.Stats atRate(String app, String path, int n, int perSecond) throws Exception {
        wire.resetReceiver();
        wire.atRate(wire.client, app, n, perSecond);
        return awaitReceived(path, n);
    }

    private Wire.Stats awaitReceived(String path, long n) throws Exception {
        return wire.awaitReceived(path, n, 60);
    }

    private void publish(String app, long i) throws Exception {
        wire.publish(app.equals("quiet") ? quietClient : wire.client, app, i);
    }

    private Wire.Stats stats(String path) throws Exception {
        return wire.stats(path);
    }

    private void post(String url, String json) throws Exception {
        wire.post(url, json);
    }
}
