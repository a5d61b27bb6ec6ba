package io.csvx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/// When the kernel's DAMON monitor threads (`kdamond.N`) ran on a core, sampled while a phase runs.
///
/// Some VMs run DAMON for proactive memory reclaim: each sample interval its thread checks the
/// access bits of pages across all of memory, and on some 2-vCPU VMs (docs/benchmarks.md) that
/// took one of the two cores for 30-60 ms every ~0.54 s while a benchmark ran. Whatever else
/// wants that core waits, so a latency phase's tail there is partly the machine's. This records
/// those bursts (in the receiver's and wrk's clock, epoch microseconds) so that the benchmark can
/// tell the deliveries they delayed from the others.
final class Kdamonds {
    /// How often the threads' CPU time is read: well under a burst's length.
    private static final long SAMPLE_MICROS = 5_000;
    /// A sample in which the threads ran for at least this share of it counts as busy.
    private static final double BUSY_SHARE = 0.25;
    /// Busy samples this close together are one burst.
    private static final long MERGE_MICROS = 10_000;
    /// How long after a burst deliveries still count as delayed by it: the backlog it leaves takes
    /// about as long to drain as it built up (on the 2-vCPU VM where this was measured, deliveries
    /// published 0-30 ms after a 20-50-ms burst had a p99 of 12-21 ms, later ones 4-6 ms).
    static final long RECOVERY_MICROS = 50_000;

    /// What the threads did in a phase: their bursts as `[from, to]` in epoch microseconds, their
    /// CPU seconds and the phase's length in seconds.
    record Bursts(List<long[]> bursts, double cpuSeconds, double seconds) {
        /// True when some burst, or the [#RECOVERY_MICROS] after it, overlaps `[from, to]`.
        boolean during(long from, long to) {
            for (long[] b : bursts) {
                if (b[0] <= to && from <= b[1] + RECOVERY_MICROS) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Path> schedstats;
    private final List<long[]> bursts = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean stop;
    private long firstNanos = -1;
    private long lastNanos;
    private long startMicros;
    private long endMicros;

    private Kdamonds(List<Path> schedstats) {
        this.schedstats = schedstats;
        this.sampler = schedstats.isEmpty() ? null : Thread.ofPlatform().name("csvx-bench-kdamonds").daemon(true)
                .start(this::sample);
    }

    /// Starts sampling the machine's kdamond threads; with none, [#stop] answers null.
    static Kdamonds start() throws IOException {
        return new Kdamonds(Measures.processes(name -> name.startsWith("kdamond")).stream()
                .map(p -> p.resolve("schedstat")).toList());
    }

    /// Stops sampling and answers the bursts, or null when the machine runs no kdamond thread.
    Bursts stop() throws InterruptedException {
        if (sampler == null) {
            return null;
        }
        stop = true;
        sampler.join();
        return new Bursts(List.copyOf(bursts), (lastNanos - firstNanos) / 1e9, (endMicros - startMicros) / 1e6);
    }

    private void sample() {
        startMicros = micros();
        long before = -1;
        long at = startMicros;
        while (!stop) {
            try {
                Thread.sleep(Duration.of(SAMPLE_MICROS, ChronoUnit.MICROS));
            } catch (InterruptedException e) {
                break;
            }
            long now = micros();
            long ran = runNanos();
            if (firstNanos < 0) {
                firstNanos = ran;
            }
            lastNanos = ran;
            if (before >= 0 && ran - before >= BUSY_SHARE * (now - at) * 1_000) {
                busy(at, now);
            }
            before = ran;
            at = now;
        }
        endMicros = micros();
    }

    private void busy(long from, long to) {
        long[] last = bursts.isEmpty() ? null : bursts.getLast();
        if (last != null && from - last[1] <= MERGE_MICROS) {
            last[1] = to;
        } else {
            bursts.add(new long[] {from, to});
        }
    }

    /// The threads' CPU time so far in nanoseconds: the first field of each `schedstat`.
    private long runNanos() {
        long sum = 0;
        for (Path p : schedstats) {
            try {
                sum += Long.parseLong(Files.readString(p).split(" ", 2)[0].strip());
            } catch (IOException | NumberFormatException gone) {
                // a monitor stopped meanwhile counts no more
            }
        }
        return sum;
    }

    private static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /// The latencies, sorted, of those of `receipts` (`[sent, latency]` pairs in microseconds) not
    /// under way during a burst or its recovery.
    static long[] outside(Bursts b, List<long[]> receipts) {
        long[] out = receipts.stream().filter(r -> !b.during(r[0], r[0] + r[1])).mapToLong(r -> r[1]).toArray();
        Arrays.sort(out);
        return out;
    }
}
