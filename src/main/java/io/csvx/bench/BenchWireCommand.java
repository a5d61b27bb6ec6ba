package io.csvx.bench;

import io.csvx.store.postgres.PostgresDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx bench-wire`: delivery measured as users run CSV-X, every part a process of its own on
/// the same machine: `csvx serve`, the receiver ([BenchReceiverCommand]) and `wrk` publishing
/// (a C client that costs almost nothing, so the server's figures are the server's). Prints the
/// raw POST rate R that `wrk` reaches against the receiver, deliveries per second of a burst
/// that `wrk` publishes (as a share of R), each process's CPU during it, publish-to-receipt
/// latency at a steady rate paced by `wrk`, the burst again with a million messages stored, a
/// backlog of due deliveries draining, and the burst on PostgreSQL.
@Command(name = "bench-wire", mixinStandardHelpOptions = true,
        description = "Benchmark delivery with server, receiver and publisher (wrk) as separate processes: the raw POST"
                + " rate R, a burst's deliveries/s against R, CPU per process, latency at a steady rate, the burst with"
                + " history stored, a backlog draining, PostgreSQL.")
final class BenchWireCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "5", description = "Seconds wrk publishes in a burst (and posts for R). Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--bursts", defaultValue = "2", description = "Bursts in a row on each server (at least 1), the last"
            + " reported in the table: after a settled warm-up a first burst still made the JIT compile for a tenth to"
            + " a third of its time on SQLite. Default: ${DEFAULT-VALUE}")
    int bursts;

    @Option(names = "--connections", defaultValue = "32", description = "wrk's connections (one thread). Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(names = "--endpoints", defaultValue = "4", description = "Endpoints each message goes to. Default: ${DEFAULT-VALUE}")
    int endpoints;

    @Option(names = "--warmup", defaultValue = "60", description = "Seconds wrk publishes to each server before its burst"
            + " at least; then on in rounds of 10 s until the server's JIT spent under 5%% of a round compiling."
            + " Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--warmup-max", defaultValue = "300", description = "Seconds the warm-up may take at most, settled"
            + " or not (on two cores shared with the receiver and wrk the JIT still compiled ~20 methods a second,"
            + " a third of the server's CPU, after 60 s); the steady phase's own warm-up takes at most 60 s, or"
            + " this. Default: ${DEFAULT-VALUE}")
    int warmupMax;

    @Option(names = "--rate", defaultValue = "1000", description = "Messages per second in the steady phase. Default: ${DEFAULT-VALUE}")
    int rate;

    @Option(names = "--steady-seconds", defaultValue = "10", description = "Length of the steady phase. Default: ${DEFAULT-VALUE}")
    int steadySeconds;

    @Option(names = "--stored", defaultValue = "1000000", description = "Messages (each delivered to every endpoint,"
            + " with its attempt) stored before a third burst, on SQLite; 0 skips it. Default: ${DEFAULT-VALUE}")
    int stored;

    @Option(names = "--backlog", defaultValue = "200000", description = "Due deliveries stored for the drain, on SQLite;"
            + " 0 skips it. Default: ${DEFAULT-VALUE}")
    int backlog;

    @Option(names = "--database", description = "Also run the burst on this PostgreSQL (postgresql://user@host:port/db), in a fresh schema dropped after. Default: SQLite only.")
    String database;

    @Option(names = "--idempotency-keys", description = "Every publish carries an idempotency-key of its own, as"
            + " every Svix SDK sends with a POST. Default: none")
    boolean idempotencyKeys;

    @Option(names = "--server-jvm", defaultValue = "", description = "JVM options for the server process, space-separated (e.g. -XX:+UseZGC). Default: none")
    String serverJvm;

    /// The deliveries/s of the PostgreSQL burst when the target was set (2026-12-01), for its 2x.
    private static final double POSTGRES_BEFORE = 3_900;
    /// The same as a share of R: the issue measured it on a machine whose R was 68,000-80,000/s,
    /// three to five times these VMs', so the absolute figure alone says little here.
    private static final double POSTGRES_BEFORE_R = POSTGRES_BEFORE / 74_000;
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern CPU = Pattern.compile("cpu ([\\d.]+) ([\\d.]+)");
    private static final Pattern JIT = Pattern.compile("(?m)^jvm_compilation_time_ms_total(?:\\{[^}]*\\})? ([\\d.E+]+)");
    /// The server's heap allocation: the collector's count up to its last collection, and what
    /// eden (G1's) holds since.
    private static final Pattern ALLOCATED = Pattern.compile(
            "(?m)^(?:jvm_gc_memory_allocated_bytes_total|jvm_memory_used_bytes\\{area=\"heap\",id=\"G1 Eden Space\"\\})"
                    + "(?:\\{[^}]*\\})? ([\\d.E+]+)");
    private static final Pattern DISPATCHED =
            Pattern.compile("(?m)^csvx_dispatched_total\\{from=\"(publish|queue)\"[^}]*\\} ([\\d.E+]+)");

    private Path dir;
    private List<String> jvm;

    @Override
    public Integer call() throws Exception {
        if (bursts < 1) {
            System.err.println("csvx bench-wire: --bursts must be at least 1");
            return 2;
        }
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            System.err.println("csvx bench-wire: needs wrk (Debian: apt-get install wrk)");
            return 2;
        }
        dir = Files.createTempDirectory("csvx-bench-wire");
        jvm = serverJvm.isBlank() ? List.of() : List.of(serverJvm.strip().split("\\s+"));
        try (Wire wire = new Wire(dir, 64)) {
            System.out.printf("CSV-X wire benchmark: %d cores, Java %s; csvx serve, the receiver and wrk (1 thread, %d"
                    + " connections) as separate processes on loopback; logs in %s%s%s%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), connections, dir,
                    jvm.isEmpty() ? "" : "; server JVM " + serverJvm,
                    idempotencyKeys ? "; every publish with an idempotency key of its own" : "");
            wrk(wire.receiver + "/ok/raw", null, 3); // the receiver's JIT, unreported
            Wrk raw = wrk(wire.receiver + "/ok/raw", null, seconds);
            System.out.printf("raw POST rate to the receiver (wrk, %d s, ~70-byte JSON): R = %,.0f/s%n", seconds,
                    raw.perSecond());

            wire.serve(jvm, List.of());
            Burst sqlite = burst(wire, "SQLite", "sqlite", false);
            Steady steady = steady(wire);
            Burst grown = stored > 0 ? grown(wire) : null;
            Drain drain = backlog > 0 ? drain(wire) : null;
            Burst postgres = null;
            if (database != null) {
                String schema = PostgresDb.createSchema(database, "csvx_bench_wire_" + Long.toHexString(System.nanoTime()));
                try {
                    wire.serve(jvm, List.of("--database", schema));
                    postgres = burst(wire, "PostgreSQL", "postgres", false);
                } finally {
                    wire.stopServer(); // off the schema before it goes
                    PostgresDb.dropSchema(schema);
                }
            }

            // again at the end, on a receiver the run has warmed: the first measure can catch its JIT
            // still compiling (9,066/s against 32,450/s on one machine), which would flatter every ratio
            Wrk rawAfter = wrk(wire.receiver + "/ok/raw-after", null, seconds);
            double r = Math.max(raw.perSecond(), rawAfter.perSecond());
            System.out.printf("raw POST rate to the receiver again, at the end: %,.0f/s; R is the higher: %,.0f/s%n",
                    rawAfter.perSecond(), r);

            System.out.println();
            System.out.println("| measure | figure | target |");
            System.out.println("| --- | --- | --- |");
            System.out.printf("| raw POST rate to the receiver (wrk) = R, the higher of first and last | %,.0f/s"
                    + " (first %,.0f/s, last %,.0f/s) | |%n", r, raw.perSecond(), rawAfter.perSecond());
            System.out.printf("| deliveries/s, SQLite, wrk publishing %d s x %d endpoints | %,.0f/s = %.2f R | >= 0.4 R: %s |%n",
                    seconds, endpoints, sqlite.deliveriesPerSecond(), sqlite.deliveriesPerSecond() / r,
                    verdict(sqlite.deliveriesPerSecond() >= 0.4 * r));
            System.out.printf("| publish -> receipt at %,d/s x %d endpoints (wrk paced) | p50 %.1f ms, p99 %.1f ms | p99 <= 10 ms: %s |%n",
                    rate, endpoints, steady.all().p50(), steady.all().p99(), verdict(steady.all().p99() <= 10));
            if (steady.kdamonds() != null) {
                System.out.printf("| the same, without the deliveries the kernel's DAMON monitor delayed | %s | (how"
                        + " much of the tail is the machine's) |%n", steady.outsideFigures());
            }
            if (grown != null) {
                double publish = (double) grown.published() / sqlite.published(); // both in the same seconds
                double deliver = grown.deliveriesPerSecond() / sqlite.deliveriesPerSecond();
                System.out.printf("| the burst with %,d messages and their attempts stored | publishes %.2fx, deliveries"
                        + " %.2fx the first burst's | both >= 0.8x: %s |%n", stored, publish, deliver,
                        verdict(publish >= 0.8 && deliver >= 0.8));
            }
            if (drain != null) {
                System.out.printf("| a backlog of %,d due deliveries drains | %,.0f/s; first 20%%: %,.0f/s, last 20%%: %,.0f/s"
                        + " | last >= 0.8x first: %s |%n", drain.total(), drain.overall(), drain.first(), drain.last(),
                        verdict(drain.last() >= 0.8 * drain.first()));
            }
            if (postgres != null) {
                double ofR = postgres.deliveriesPerSecond() / r;
                System.out.printf("| the same burst on PostgreSQL, one node | %,.0f/s = %.3f R | >= %,.0f/s (2x %,.0f): %s;"
                                + " >= %.3f R (2x the share of R that was on the issue's machine): %s |%n",
                        postgres.deliveriesPerSecond(), ofR, 2 * POSTGRES_BEFORE, POSTGRES_BEFORE,
                        verdict(postgres.deliveriesPerSecond() >= 2 * POSTGRES_BEFORE), 2 * POSTGRES_BEFORE_R,
                        verdict(ofR >= 2 * POSTGRES_BEFORE_R));
            } else {
                System.out.println("| the same burst on PostgreSQL | (give --database) | |");
            }
            System.out.printf("CPU during the SQLite burst, in cores: server %.2f, receiver %.2f, wrk %.2f;"
                    + " server CPU per delivery %.1f µs, of it the SQLite writer thread's %.1f µs; %.1f KB allocated a"
                    + " delivery%n", sqlite.serverCores(), sqlite.receiverCores(), sqlite.wrkCores(),
                    sqlite.serverCpuMicrosPerDelivery(), sqlite.writerCpuMicrosPerDelivery(), sqlite.kilobytesPerDelivery());
            if (postgres != null) {
                System.out.printf("CPU during the PostgreSQL burst, in cores: server %.2f, receiver %.2f, wrk %.2f;"
                        + " server CPU per delivery %.1f µs; PostgreSQL's processes on this machine %.1f µs%n",
                        postgres.serverCores(), postgres.receiverCores(), postgres.wrkCores(),
                        postgres.serverCpuMicrosPerDelivery(), postgres.databaseCpuMicrosPerDelivery());
            }
        }
        return 0;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }

    /// What a burst showed: deliveries, how long until the last, and each process's CPU seconds.
    /// `writerCpu` is the server's SQLite writer thread's (0 when it has none), `databaseCpu` the
    /// PostgreSQL processes' on this machine (0 on SQLite, or when they cannot be read).
    private record Burst(long published, long delivered, double seconds, double serverCpu, double receiverCpu,
                         double wrkCpu, double wrkSeconds, double writerCpu, double databaseCpu, double allocated) {
        double deliveriesPerSecond() {
            return delivered / seconds;
        }

        double serverCores() {
            return serverCpu / seconds;
        }

        double receiverCores() {
            return receiverCpu / seconds;
        }

        double wrkCores() {
            return wrkCpu / wrkSeconds;
        }

        double serverCpuMicrosPerDelivery() {
            return serverCpu * 1e6 / delivered;
        }

        double kilobytesPerDelivery() {
            return allocated / 1024 / delivered;
        }

        double writerCpuMicrosPerDelivery() {
            return writerCpu * 1e6 / delivered;
        }

        double databaseCpuMicrosPerDelivery() {
            return databaseCpu * 1e6 / delivered;
        }
    }

    /// Seconds of each warm-up round after the first [#warmup].
    private static final int WARM_ROUND = 10;
    /// The share of a round the JIT may spend compiling for the server to count as warm.
    private static final double WARM_JIT_SHARE = 0.05;

    /// Has wrk publish to a fresh application until the server is warm: [#warmup] seconds, then
    /// rounds of [#WARM_ROUND] until its JIT compiled for less than [#WARM_JIT_SHARE] of one (or
    /// [#warmupMax] passed); waits for those deliveries. A burst measured while the JIT still
    /// takes a third of the server's CPU measured the JIT: the first burst of a run went 1.4-1.6x
    /// slower than later ones after a fixed minute.
    private void warm(Wire wire, String key) throws Exception {
        String[] warmPaths = paths("/ok/warm-" + key + "-");
        wire.app("warm-" + key, warmPaths);
        // numbered apart, so that the receiver, which keeps the first receipt of each number, counts every round's
        Settled settled = untilSettled(wire, warmupMax, round -> wrk(wire.api + "/app/warm-" + key + "/msg",
                "Bearer " + Wire.TOKEN, round == 0 ? warmup : WARM_ROUND, round * 100_000_000L));
        System.out.printf("warm-up (%s): wrk published %,d messages in %.0f s; the JIT compiled for %.0f%% of its last"
                + " round%n", key, settled.published(), settled.seconds(), 100 * settled.share());
        for (String path : warmPaths) {
            wire.awaitReceived(path, settled.published(), 300);
        }
        System.out.printf("warm-up (%s): its application removed in %.1f s%n", key, wire.deleteApp("warm-" + key));
        // the receiver keeps every message number it saw: what follows meets it empty, as the steady phase does
        wire.resetReceiver();
    }

    /// One round of a warm-up, numbered from 0.
    private interface Round {
        Wrk run(int round) throws Exception;
    }

    /// What a warm-up came to: the messages wrk published, its rounds and seconds, the JIT's share
    /// of the last round.
    private record Settled(long published, int rounds, double seconds, double share) {
    }

    /// Runs `round` until the server's JIT compiled for less than [#WARM_JIT_SHARE] of one, or
    /// until one more [#WARM_ROUND] would end past `maxSeconds`.
    private static Settled untilSettled(Wire wire, int maxSeconds, Round round) throws Exception {
        long t0 = System.nanoTime();
        long published = 0;
        int rounds = 0;
        double share;
        do {
            double jit = jitMillis(wire);
            long r0 = System.nanoTime();
            published += round.run(rounds++).ok();
            share = (jitMillis(wire) - jit) / ((System.nanoTime() - r0) / 1e6);
        } while (share >= WARM_JIT_SHARE && (System.nanoTime() - t0) / 1e9 + WARM_ROUND <= maxSeconds);
        return new Settled(published, rounds, (System.nanoTime() - t0) / 1e9, share);
    }

    /// The server's JIT's compiling time so far, in milliseconds, from its `/metrics`.
    private static double jitMillis(Wire wire) throws Exception {
        return jitMillis(wire.serverMetrics());
    }

    /// The JIT's compiling time in `metrics`, the server's `/metrics` text.
    private static double jitMillis(String metrics) {
        Matcher m = JIT.matcher(metrics);
        if (!m.find()) {
            throw new IllegalStateException("the server's /metrics has no jvm_compilation_time_ms_total");
        }
        return Double.parseDouble(m.group(1));
    }

    /// Warms the server up, then has wrk publish to an application with [#endpoints] endpoints
    /// for [#seconds], [#bursts] times, each waiting for its last delivery; answers the last. The
    /// application `burst-key` is made here unless `made`.
    private Burst burst(Wire wire, String store, String key, boolean made) throws Exception {
        warm(wire, key);
        String[] paths = paths("/ok/burst-" + key + "-");
        if (!made) {
            wire.app("burst-" + key, paths);
        }
        Burst b = null;
        for (int round = 1; round <= bursts; round++) {
            b = burstOnce(wire, store + (bursts > 1 ? " (" + round + " of " + bursts + ")" : ""), key, round);
        }
        if (!made) {
            // not one with stored history: removing a million messages takes minutes, and that server is stopped
            // next anyway
            wire.deleteApp("burst-" + key);
        }
        return b;
    }

    /// One burst to the application `burst-key`, its messages numbered apart from other rounds'.
    private Burst burstOnce(Wire wire, String store, String key, int round) throws Exception {
        long server = wire.serverPid();
        long receiver = wire.receiverProcess().pid();
        long before = wire.count("/ok/burst-" + key + "-*");
        double serverBefore = cpuSeconds(server);
        double receiverBefore = cpuSeconds(receiver);
        // found once: the burst's loop reads only these, so that reading costs its CPU little
        Path writer = thread(server, io.csvx.store.sqlite.SqliteDb.WRITER_THREAD);
        List<Path> database = key.equals("postgres") ? processes("postgres") : List.of();
        double writerBefore = cpuSeconds(writer);
        double databaseBefore = cpuSeconds(database);
        String metricsBefore = wire.serverMetrics();
        double jitBefore = jitMillis(metricsBefore);
        double[] dispatchedBefore = dispatched(metricsBefore);
        double allocatedBefore = allocated(metricsBefore);
        long t0 = System.nanoTime();
        Wrk w = wrk(wire.api + "/app/burst-" + key + "/msg", "Bearer " + Wire.TOKEN, seconds, round * 100_000_000L);
        // deliveries until none has come for a second
        long delivered = 0;
        long last = t0;
        double serverCpu = 0;
        double receiverCpu = 0;
        double writerCpu = 0;
        double databaseCpu = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            // the receiver's cheap count: /stats would sort every latency it holds, 50 times a second,
            // on the CPU the burst measures
            long n = wire.count("/ok/burst-" + key + "-*") - before;
            long now = System.nanoTime();
            if (n > delivered) {
                delivered = n;
                last = now;
                serverCpu = cpuSeconds(server) - serverBefore;
                receiverCpu = cpuSeconds(receiver) - receiverBefore;
                writerCpu = cpuSeconds(writer) - writerBefore;
                databaseCpu = cpuSeconds(database) - databaseBefore;
            } else if (delivered >= (long) w.ok() * endpoints && now - last > TimeUnit.SECONDS.toNanos(1)) {
                break;
            }
            Thread.sleep(20);
        }
        double took = (last - t0) / 1e9;
        String metricsAfter = wire.serverMetrics();
        double jit = (jitMillis(metricsAfter) - jitBefore) / ((System.nanoTime() - t0) / 1e6);
        double[] dispatchedAfter = dispatched(metricsAfter);
        double byPublish = dispatchedAfter[0] - dispatchedBefore[0];
        double byClaim = dispatchedAfter[1] - dispatchedBefore[1];
        Burst b = new Burst(w.ok(), delivered, took, serverCpu, receiverCpu, w.cpu(), w.seconds(), writerCpu,
                databaseCpu, allocated(metricsAfter) - allocatedBefore);
        System.out.printf("%s burst: wrk published %,d messages in %d s (%,.0f/s, %,d not accepted); %,d deliveries"
                + " in %.2f s: %,.0f/s; the JIT compiled for %.0f%% of it; %.0f%% of the deliveries started by a"
                + " claim, the rest by their publish; the server allocated %.1f KB a delivery%n", store, w.ok(), seconds,
                w.ok() / (double) seconds, w.failed(), delivered, took, b.deliveriesPerSecond(), 100 * jit,
                100 * byClaim / Math.max(1, byPublish + byClaim), b.kilobytesPerDelivery());
        return b;
    }

    /// The bytes the server has allocated on its heap so far, from its `/metrics` text (to within
    /// what its threads hold in their allocation buffers).
    private static double allocated(String metrics) {
        double bytes = 0;
        Matcher m = ALLOCATED.matcher(metrics);
        while (m.find()) {
            bytes += Double.parseDouble(m.group(1));
        }
        return bytes;
    }

    /// The deliveries the server started so far, handed over by their publish and claimed from the
    /// queue, from its `/metrics` text: a claim costs the database a lease and a read that a
    /// publish's hand-over does not.
    private static double[] dispatched(String metrics) {
        double[] counts = new double[2];
        Matcher m = DISPATCHED.matcher(metrics);
        while (m.find()) {
            counts[m.group(1).equals("publish") ? 0 : 1] = Double.parseDouble(m.group(2));
        }
        return counts;
    }

    /// The most seconds the steady phase's own warm-up takes, settled or not.
    private static final int STEADY_WARMUP_MAX = 60;

    /// Has wrk publish [#rate] messages a second for [#steadySeconds], each stamped with the
    /// moment wrk sends it; the receiver's publish-to-receipt figures over every delivery. First
    /// the same pace unmeasured, in rounds of [#WARM_ROUND] until the JIT compiles for less than
    /// [#WARM_JIT_SHARE] of one: code compiled under the bursts' load is compiled again once one
    /// message at a time takes other branches, and the first 20 s at this pace after a burst
    /// warm-up had a p99 2-5x the later ones' (28-40 ms against 5-10 ms on one machine).
    private Steady steady(Wire wire) throws Exception {
        String[] paths = paths("/ok/steady-");
        wire.app("steady", paths);
        // rounds no longer than --warmup-max, which bounds this warm-up too
        int roundSeconds = Math.min(WARM_ROUND, warmupMax);
        Settled warm = untilSettled(wire, Math.min(STEADY_WARMUP_MAX, warmupMax),
                round -> wrk(wire.api + "/app/steady/msg", roundSeconds, PACED_CONNECTIONS, pacedScript(rate)));
        Thread.sleep(2_000); // the warm-up's last deliveries, before the receiver forgets them
        wire.resetReceiver();
        System.out.printf("steady warm-up: %d round(s) of %d s at %,d/s; the JIT compiled for %.1f%% of the last%n",
                warm.rounds(), roundSeconds, rate, 100 * warm.share());
        double jit = jitMillis(wire);
        long server = wire.serverPid();
        Path writer = thread(server, io.csvx.store.sqlite.SqliteDb.WRITER_THREAD);
        double serverBefore = cpuSeconds(server);
        double writerBefore = cpuSeconds(writer);
        double receiverBefore = cpuSeconds(wire.receiverProcess().pid());
        Kdamonds kdamonds = Kdamonds.start();
        Wrk w;
        double measuredShare;
        double serverCores;
        double writerCores;
        double receiverCores;
        Wire.Stats all;
        Kdamonds.Bursts bursts;
        try {
            w = wrk(wire.api + "/app/steady/msg", steadySeconds, PACED_CONNECTIONS, pacedScript(rate));
            serverCores = (cpuSeconds(server) - serverBefore) / w.seconds();
            writerCores = (cpuSeconds(writer) - writerBefore) / w.seconds();
            receiverCores = (cpuSeconds(wire.receiverProcess().pid()) - receiverBefore) / w.seconds();
            measuredShare = (jitMillis(wire) - jit) / (w.seconds() * 1e3);
            all = wire.awaitReceived("/ok/steady-*", w.ok() * endpoints, 60);
        } finally {
            bursts = kdamonds.stop();
        }
        System.out.printf("steady: wrk published %,d messages at %,.0f/s (%,d not accepted) to %d endpoints;"
                + " publish-to-receipt over all %,d deliveries: %s; the JIT compiled for %.1f%% of it%n%s", w.ok(),
                w.ok() / w.seconds(), w.failed(), endpoints, all.count(), all, 100 * measuredShare, all.histogram());
        double perSecond = (double) w.ok() * endpoints / w.seconds();
        // at a steady trickle a delivery costs more than in a burst (fewer rows to a commit, a wake-up
        // each): what the two cores must carry when something else takes one of them
        System.out.printf("CPU during the steady phase, in cores: server %.2f (its SQLite writer thread %.2f), receiver"
                + " %.2f, wrk %.2f; server CPU per delivery %.1f µs, of it the writer's %.1f µs%n", serverCores,
                writerCores, receiverCores, w.cpu() / w.seconds(), 1e6 * serverCores / perSecond,
                1e6 * writerCores / perSecond);
        Steady steady = new Steady(all, bursts, bursts == null ? new long[0]
                : Kdamonds.outside(bursts, wire.receipts("/ok/steady-*")));
        System.out.println(steady.kdamondLine());
        wire.deleteApp("steady");
        return steady;
    }

    /// The steady phase: every delivery's figures; the bursts of the kernel's DAMON monitor
    /// meanwhile (null when the machine runs none); the latencies, sorted, of the deliveries
    /// under way during none of them nor the [Kdamonds#RECOVERY_MICROS] after one.
    private record Steady(Wire.Stats all, Kdamonds.Bursts kdamonds, long[] outside) {
        /// The undelayed deliveries' share and figures.
        String outsideFigures() {
            if (outside.length == 0) {
                return "none: every delivery was under way during a burst or just after";
            }
            return String.format(java.util.Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%.1f%% of them)",
                    Measures.percentile(outside, 0.50, 1e3), Measures.percentile(outside, 0.99, 1e3),
                    Measures.percentile(outside, 1.0, 1e3), 100.0 * outside.length / Math.max(1, all.count()));
        }

        String kdamondLine() {
            if (kdamonds == null) {
                return "the kernel's DAMON monitor (kdamond): not running on this machine";
            }
            List<long[]> b = kdamonds.bursts();
            long shortest = b.stream().mapToLong(x -> x[1] - x[0]).min().orElse(0);
            long longest = b.stream().mapToLong(x -> x[1] - x[0]).max().orElse(0);
            String seen = b.isEmpty() ? "no burst on a core" : String.format(java.util.Locale.ROOT,
                    "%d bursts of %.0f-%.0f ms on a core (one every %.2f s)", b.size(), shortest / 1e3, longest / 1e3,
                    kdamonds.seconds() / b.size());
            return String.format(java.util.Locale.ROOT, "the kernel's DAMON monitor (kdamond) meanwhile: %.2f cores,"
                    + " %s; the deliveries under way during none nor in the %d ms after one: %s",
                    kdamonds.cpuSeconds() / kdamonds.seconds(), seen, Kdamonds.RECOVERY_MICROS / 1000, outsideFigures());
        }
    }

    private String[] paths(String prefix) {
        String[] p = new String[endpoints];
        for (int i = 0; i < endpoints; i++) {
            p[i] = prefix + (i + 1);
        }
        return p;
    }

    /// A server on a fresh database whose burst application has [#stored] messages delivered
    /// before (with their attempts and finished deliveries), written while it was stopped; then
    /// its burst as the first one.
    private Burst grown(Wire wire) throws Exception {
        wire.serve(jvm, List.of());
        Wire.Made app = wire.app("burst-grown", paths("/ok/burst-grown-"));
        wire.stopServer();
        long t0 = System.nanoTime();
        try (io.csvx.store.sqlite.SqliteDb db = io.csvx.store.sqlite.SqliteDb.open(wire.data())) {
            new StoredHistory(db, app).delivered(stored);
        }
        System.out.printf("stored %,d messages with %,d attempts and finished deliveries in %.0f s (%,d MB on disk)%n",
                stored, (long) stored * endpoints, (System.nanoTime() - t0) / 1e9, size(wire.data()) >> 20);
        wire.serveAgain(jvm, List.of());
        return burst(wire, "SQLite with " + String.format("%,d", stored) + " stored", "grown", true);
    }

    /// How a backlog drained: deliveries, the rate over all, over the first and the last fifth.
    private record Drain(long total, double overall, double first, double last) {
    }

    /// A server whose database holds [#backlog] deliveries nobody holds (messages to an
    /// application with [#endpoints] endpoints), due tomorrow until the server has warmed up, when
    /// this process makes them due now through a connection of its own (SQLite lets processes
    /// share a database): the receiver's count, read every 100 ms, tells how fast each fifth of
    /// them arrived.
    private Drain drain(Wire wire) throws Exception {
        wire.serve(jvm, List.of());
        Wire.Made app = wire.app("backlog", paths("/ok/backlog-"));
        wire.stopServer();
        int messages = backlog / endpoints;
        long total = (long) messages * endpoints;
        long t0 = System.nanoTime();
        try (io.csvx.store.sqlite.SqliteDb db = io.csvx.store.sqlite.SqliteDb.open(wire.data())) {
            new StoredHistory(db, app).due(messages, Instant.now().plus(Duration.ofDays(1)));
        }
        System.out.printf("stored a backlog of %,d deliveries (%,d messages x %d endpoints) in %.0f s%n", total,
                messages, endpoints, (System.nanoTime() - t0) / 1e9);
        wire.serveAgain(jvm, List.of());
        warm(wire, "drain");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + wire.data().resolve("csvx.db"));
             var busy = c.createStatement();
             var ps = c.prepareStatement("UPDATE delivery SET next_attempt_at = ? WHERE app_id = ?")) {
            busy.execute("PRAGMA busy_timeout=30000");
            ps.setLong(1, Instant.now().toEpochMilli());
            ps.setString(2, app.appId());
            ps.executeUpdate();
        }
        List<long[]> seen = new java.util.ArrayList<>(); // nanoTime, count
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        long lastChange = System.nanoTime();
        long n = 0;
        while (n < total && System.nanoTime() < deadline && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(10)) {
            long now = wire.count("/ok/backlog-*");
            long at = System.nanoTime();
            if (now != n) {
                n = now;
                lastChange = at;
                seen.add(new long[] {at, n});
            }
            Thread.sleep(100);
        }
        if (n < total) {
            throw new IllegalStateException("the backlog stopped draining at " + n + " of " + total);
        }
        long start = seen.getFirst()[0];
        long end = seen.getLast()[0];
        double first = rateBetween(seen, 0, total / 5);
        double last = rateBetween(seen, total - total / 5, total);
        Drain d = new Drain(total, total / ((end - start) / 1e9), first, last);
        System.out.printf("backlog: %,d deliveries drained in %.1f s: %,.0f/s; the first fifth %,.0f/s, the last"
                + " fifth %,.0f/s%n", total, (end - start) / 1e9, d.overall(), first, last);
        return d;
    }

    /// Deliveries a second between the readings where the count first reached `from` and `to`
    /// (each reading's own count, which may be past them).
    private static double rateBetween(List<long[]> seen, long from, long to) {
        long[] a = seen.stream().filter(s -> s[1] >= from).findFirst().orElseThrow();
        long[] b = seen.stream().filter(s -> s[1] >= to).findFirst().orElseThrow();
        return (b[1] - a[1]) / Math.max(1e-3, (b[0] - a[0]) / 1e9);
    }

    private static long size(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /// What wrk reported: requests answered 2xx and not, their rate, its CPU and wall seconds.
    private record Wrk(long ok, long failed, double perSecond, double cpu, double seconds) {
    }

    /// wrk's connections in the steady phase: enough that a slow answer leaves others free to keep the pace.
    private static final int PACED_CONNECTIONS = 16;

    /// Runs wrk (one thread, [#connections] connections) posting messages numbered from 1 to
    /// `url` for `seconds` as fast as answers come (`authorization` null: the raw POST to the receiver).
    private Wrk wrk(String url, String authorization, int seconds) throws IOException, InterruptedException {
        return wrk(url, authorization, seconds, 0);
    }

    /// As above, numbering the messages from `from` + 1.
    private Wrk wrk(String url, String authorization, int seconds, long from) throws IOException, InterruptedException {
        return wrk(url, seconds, connections, """
                counter = %d
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                %s
                request = function()
                  counter = counter + 1
                  %s
                  return wrk.format(nil, nil, nil, '%s')
                end
                """.formatted(from, authorization == null ? "" : "wrk.headers[\"Authorization\"] = \"" + authorization + "\"",
                authorization == null ? "" : keyHeader(),
                authorization == null
                        ? "{\"sent\":0,\"i\":' .. counter .. ',\"file\":\"orders.csv\",\"rows\":1200,\"state\":\"done\"}"
                        : "{\"eventType\":\"bench\",\"payload\":{\"sent\":0,\"i\":' .. counter"
                                + " .. ',\"file\":\"orders.csv\",\"rows\":1200}}"));
    }

    /// A wrk script publishing `perSecond` messages a second: the k-th request waits until k
    /// intervals after the first (wrk's `delay`, in whole milliseconds), and its message carries
    /// the wall clock in microseconds (LuaJIT's FFI to `clock_gettime`) at the moment wrk builds
    /// it, just before it is written: the receiver's clock is the same.
    private String pacedScript(int perSecond) {
        return """
                local ffi = require("ffi")
                ffi.cdef[[
                  typedef struct { long tv_sec; long tv_nsec; } csvx_timespec;
                  int clock_gettime(int clk_id, csvx_timespec *tp);
                ]]
                local ts = ffi.new("csvx_timespec")
                local function micros()
                  ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME, as the receiver's Instant.now()
                  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
                end
                local interval = 1000000 / %d
                local start = nil
                local k = 0
                counter = 0
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                delay = function()
                  local now = micros()
                  if start == nil then start = now end
                  local due = start + k * interval
                  k = k + 1
                  if due <= now then return 0 end
                  return math.floor((due - now) / 1000)
                end
                request = function()
                  counter = counter + 1
                  %s
                  return wrk.format(nil, nil, nil, '{"eventType":"bench","payload":{"sent":'
                    .. string.format("%%.0f", micros()) .. ',"i":' .. counter .. ',"file":"orders.csv","rows":1200}}')
                end
                """.formatted(perSecond, Wire.TOKEN, keyHeader());
    }

    /// With `--idempotency-keys`, the Lua line that gives the next publish a key no other has
    /// (this script's own prefix, then its number); otherwise a comment.
    private String keyHeader() {
        return idempotencyKeys ? "wrk.headers[\"idempotency-key\"] = \"auto_" + Long.toHexString(System.nanoTime())
                + "_\" .. counter" : "-- no idempotency key";
    }

    /// Runs wrk (one thread) with `script` against `url` for `seconds`, under `time` for its CPU.
    private Wrk wrk(String url, int seconds, int connections, String lua) throws IOException, InterruptedException {
        Path script = Files.writeString(dir.resolve("bench.lua"), lua, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("/usr/bin/time", "-f", "cpu %U %S", "/usr/bin/wrk", "-t1",
                "-c" + connections, "-d" + seconds + "s", "-s", script.toString(), url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        double took = (System.nanoTime() - t0) / 1e9;
        long requests = Long.parseLong(find(REQUESTS, out, "0"));
        long failed = Long.parseLong(find(NON_2XX, out, "0"));
        Matcher cpu = CPU.matcher(out);
        double cpuSeconds = cpu.find() ? Double.parseDouble(cpu.group(1)) + Double.parseDouble(cpu.group(2)) : 0;
        return new Wrk(requests - failed, failed, Double.parseDouble(find(RATE, out, "0")), cpuSeconds, took);
    }

    private static String find(Pattern p, String text, String otherwise) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }

    /// A process's CPU seconds so far (user and system), from /proc.
    static double cpuSeconds(long pid) throws IOException {
        return cpuSeconds(Path.of("/proc/" + pid + "/stat"));
    }

    /// The CPU seconds so far of the processes or threads whose `stat` files these are; one that
    /// is gone (or none) counts nothing.
    private static double cpuSeconds(List<Path> stats) {
        double sum = 0;
        for (Path stat : stats) {
            try {
                sum += cpuSeconds(stat);
            } catch (IOException | RuntimeException e) {
                // exited since it was found
            }
        }
        return sum;
    }

    private static double cpuSeconds(Path stat) throws IOException {
        if (stat == null) {
            return 0;
        }
        return cpuSeconds(Files.readString(stat));
    }

    /// The `stat` file of the thread of process `pid` named `name` (compared as /proc shortens it,
    /// to 15 characters), or null.
    private static Path thread(long pid, String name) throws IOException {
        String shortened = name.substring(0, Math.min(15, name.length()));
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.filter(t -> Measures.comm(t).equals(shortened)).map(t -> t.resolve("stat")).findFirst()
                    .orElse(null);
        }
    }

    /// The `stat` files of this machine's processes named `name`.
    private static List<Path> processes(String name) throws IOException {
        return Measures.processes(name::equals).stream().map(p -> p.resolve("stat")).toList();
    }

    private static double cpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the name: state is field 3; utime and stime are fields 14 and 15, in ticks of 1/100 s
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }
}
