package io.csvx.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/// Queue depth and the age of the oldest due delivery, read from the store on a timer
/// (not on scrape, so a busy scraper cannot load the database).
public final class QueueGauges {
    private final DeliveryQueue queue;
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();

    public QueueGauges(DeliveryQueue queue, MeterRegistry meters, Dispatcher dispatcher) {
        this.queue = queue;
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
    }
}
