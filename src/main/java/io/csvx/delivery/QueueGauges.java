package io.csvx.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/// Queue depth and the age of the oldest due delivery, read from the store on a timer
/// (not on scrape, so a busy scraper cannot load the database); and, at each reading, a sample
/// of this node's delivery counts kept for the last hour, for the console's overview.
public final class QueueGauges {
    /// One reading: totals since the node started, and the queue as it was then.
    public record Sample(Instant at, double delivered, double retried, double dead, long due, long oldestAgeMillis,
                         int inFlight) {
    }

    /// Readings kept: an hour at one every five seconds.
    private static final int KEPT = 720;

    private final DeliveryQueue queue;
    private final Dispatcher dispatcher;
    private final MeterRegistry meters;
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private final Deque<Sample> history = new ArrayDeque<>();

    public QueueGauges(DeliveryQueue queue, MeterRegistry meters, Dispatcher dispatcher) {
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.meters = meters;
        Gauge.builder("csvx.queue.due", due, AtomicLong::get).description("deliveries due and not claimed").register(meters);
        Gauge.builder("csvx.queue.oldest.due.age", oldestAgeMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("how long the oldest due delivery has waited").register(meters);
        Gauge.builder("csvx.deliveries.in.flight", dispatcher, Dispatcher::inFlight).register(meters);
    }

    public void refresh() {
        Instant now = Instant.now();
        DeliveryQueue.Depth depth = queue.depth(now);
        due.set(depth.due());
        oldestAgeMillis.set(depth.oldestDue() == null ? 0 : Duration.between(depth.oldestDue(), now).toMillis());
        Sample sample = new Sample(now, count("delivered"), count("retry"), count("dead"), due.get(),
                oldestAgeMillis.get(), dispatcher.inFlight());
        synchronized (history) {
            history.addLast(sample);
            while (history.size() > KEPT) {
                history.removeFirst();
            }
        }
    }

    /// The readings of the last hour, oldest first.
    public List<Sample> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private double count(String outcome) {
        Counter c = meters.find("csvx.deliveries").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }
}
