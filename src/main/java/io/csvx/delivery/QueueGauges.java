package io.csvx.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/// Queue depth and the age of the oldest due delivery, read from the store on a timer (not on
/// scrape, so a busy scraper cannot load the database), less often while the count is slow
/// ([#SCAN_SHARE]); and, at each reading, this node's
/// delivery counters, kept in the store for an hour so that the console of any node shows every
/// node's ([#cluster]).
public final class QueueGauges {
    /// One node's reading: its counters are totals since it started; the queue as it read it.
    ///
    /// @param attempts      attempts made, and `latencyMicros` their total time
    /// @param jobsRunning   jobs this node was running
    public record Reading(String node, Instant at, long delivered, long retried, long dead, long attempts,
                          long latencyMicros, long due, long oldestAgeMillis, int inFlight, int jobsRunning) {
    }

    /// How long readings are kept, and how far back the overview looks.
    public static final Duration KEPT = Duration.ofHours(1);
    /// How often `refresh` is meant to run: a node whose last reading is older than three of
    /// these is taken for gone.
    public static final Duration EVERY = Duration.ofSeconds(5);

    private final DeliveryQueue queue;
    private final Dispatcher dispatcher;
    private final ReadingStore readings;
    private final io.csvx.endpoint.EndpointService endpoints;
    /// The endpoints with the most deliveries due, labelled by id: a bounded set of series.
    private final MultiGauge endpointDue;
    private final MeterRegistry meters;
    private final String node;
    private final Clock clock;
    private final java.util.function.LongSupplier nanoTime;
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    /// The oldest due delivery the last scan found, or null: its age keeps growing between scans.
    private volatile Instant oldestDue;
    private final AtomicLong scanNanos = new AtomicLong();
    private volatile Instant nextScan = Instant.EPOCH;
    private volatile Instant pruned = Instant.EPOCH;

    /// A scan of the queue's due rows (its depth, and the endpoints with the most) takes at most
    /// this share of the time between scans: both count every due row, so under a backlog of
    /// millions one took seconds, and [#EVERY] would have kept a core busy counting.
    static final int SCAN_SHARE = 20;

    /// The number of endpoints `csvx.endpoint.due` has a series for.
    public static final int TOP_ENDPOINTS = 10;

    public QueueGauges(DeliveryQueue queue, ReadingStore readings, io.csvx.endpoint.EndpointService endpoints,
                       MeterRegistry meters, Dispatcher dispatcher, String node, Clock clock) {
        this(queue, readings, endpoints, meters, dispatcher, node, clock, System::nanoTime);
    }

    /// As above, timing the scans by `nanoTime`.
    QueueGauges(DeliveryQueue queue, ReadingStore readings, io.csvx.endpoint.EndpointService endpoints,
                MeterRegistry meters, Dispatcher dispatcher, String node, Clock clock,
                java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.endpoints = endpoints;
        this.endpointDue = MultiGauge.builder("csvx.endpoint.due")
                .description("deliveries due at the " + TOP_ENDPOINTS + " endpoints with the most").register(meters);
        this.queue = queue;
        this.readings = readings;
        this.dispatcher = dispatcher;
        this.meters = meters;
        this.node = node;
        this.clock = clock;
        Gauge.builder("csvx.queue.due", due, AtomicLong::get)
                .description("deliveries due at enabled endpoints and not claimed").register(meters);
        Gauge.builder("csvx.queue.oldest.due.age", oldestAgeMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("how long the oldest due delivery has waited").register(meters);
        Gauge.builder("csvx.deliveries.in.flight", dispatcher, Dispatcher::inFlight).register(meters);
        Gauge.builder("csvx.queue.scan.duration", scanNanos, v -> v.get() / 1e9).baseUnit("seconds")
                .description("how long the last count of the queue's due rows took; the due figures are read again"
                        + " after " + SCAN_SHARE + " times that, or " + EVERY.toSeconds() + " s if longer")
                .register(meters);
    }

    /// Reads the queue (when its last scan is old enough, [#SCAN_SHARE]), and keeps this node's
    /// reading (and, once a minute, drops the old ones).
    public void refresh() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (!now.isBefore(nextScan)) {
            scan(now);
        }
        Instant oldest = oldestDue;
        oldestAgeMillis.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis()));
        Timer latency = meters.find("csvx.attempt.latency").timer();
        Gauge jobs = meters.find("csvx.jobs.running").gauge();
        readings.record(new Reading(node, now, count("delivered"), count("retry"), count("dead"),
                latency == null ? 0 : latency.count(), latency == null ? 0 : (long) latency.totalTime(TimeUnit.MICROSECONDS),
                due.get(), oldestAgeMillis.get(), dispatcher.inFlight(), jobs == null ? 0 : (int) jobs.value()));
        if (Duration.between(pruned, now).toMinutes() >= 1) {
            readings.prune(now.minus(KEPT));
            pruned = now;
        }
    }

    /// Counts the due rows: the queue's depth and oldest, and the endpoints with the most.
    private void scan(Instant now) {
        long t0 = nanoTime.getAsLong();
        DeliveryQueue.Depth depth = queue.depth(now);
        due.set(depth.due());
        oldestDue = depth.oldestDue();
        endpointDue.register(endpoints.mostDue(now, TOP_ENDPOINTS).entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("endpoint", e.getKey()), e.getValue())).toList(), true);
        long took = nanoTime.getAsLong() - t0;
        scanNanos.set(took);
        Duration pause = Duration.ofNanos(took).multipliedBy(SCAN_SHARE);
        nextScan = now.plus(pause.compareTo(EVERY) > 0 ? pause : Duration.ZERO);
    }

    /// Every node's readings of the last hour, by node, oldest first.
    public List<Reading> cluster() {
        return readings.since(clock.instant().minus(KEPT));
    }

    private long count(String outcome) {
        Counter c = meters.find("csvx.deliveries").tag("outcome", outcome).counter();
        return c == null ? 0 : (long) c.count();
    }
}
