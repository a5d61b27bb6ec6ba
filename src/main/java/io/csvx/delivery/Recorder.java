package io.csvx.delivery;

import io.csvx.delivery.DeliveryQueue.Claimed;
import io.csvx.endpoint.Ordering;
import io.csvx.message.DeliveryState;
import io.csvx.store.Ids;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Turns each attempt's response into its outcome (delivered, retry at the schedule's next
/// step, dead) and writes outcomes back in batches on a thread of its own: one transaction and a
/// few prepared statements for many attempts. An endpoint that the queue disables on the way
/// (410 Gone, or failing for longer than `disableAfter`) is announced to every cache of it; that,
/// and deliveries failing, exhausted or recovered, are told to the [DeliveryObserver]s once written.
final class Recorder {
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final int BATCH = 1024;
    /// Outcomes are written one batch at a time, and a batch waits this long for more unless
    /// [#LINGER_UNLESS] are waiting already: at a steady trickle each outcome would otherwise be
    /// a transaction of its own, with its own commit, on the writer every publish waits for.
    private static final long LINGER_MILLIS = 2;
    private static final int LINGER_UNLESS = 64;
    /// Batches being written at once: while one commits, the next is already being written (on
    /// PostgreSQL by its second writer; SQLite's one writer takes them in turn).
    private static final int WRITING = 2;

    private final DeliveryQueue queue;
    private final List<DeliveryObserver> observers = new CopyOnWriteArrayList<>();
    private final EndpointDirectory endpoints;
    private final RetryPolicy retryPolicy;
    private final Duration disableAfter;
    private final Ids ids;
    private final Clock clock;
    private final IntConsumer written;
    private final Runnable promoted;
    private final LinkedBlockingQueue<Recorded> outcomes = new LinkedBlockingQueue<>();
    private final Semaphore writes = new Semaphore(WRITING);
    /// What follows each batch's write, in the batches' order; the loop's own.
    private final InTurn told = new InTurn();
    private final Counter delivered;
    private final Counter retried;
    private final Counter dead;
    private volatile boolean recording = true;
    private volatile boolean halted;
    private Thread thread;

    /// `written` is told how many outcomes each batch wrote (or failed to), so their deliveries
    /// stop counting as in flight; `promoted` hears of each batch that made deliveries waiting in
    /// an ordering key's line due.
    Recorder(DeliveryQueue queue, EndpointDirectory endpoints, RetryPolicy retryPolicy,
             Duration disableAfter, Ids ids, Clock clock, MeterRegistry meters, IntConsumer written,
             Runnable promoted) {
        this.queue = queue;
        this.endpoints = endpoints;
        this.retryPolicy = retryPolicy;
        this.disableAfter = disableAfter;
        this.ids = ids;
        this.clock = clock;
        this.written = written;
        this.promoted = promoted;
        this.delivered = Counter.builder("csvx.deliveries").tag("outcome", "delivered").register(meters);
        this.retried = Counter.builder("csvx.deliveries").tag("outcome", "retry").register(meters);
        this.dead = Counter.builder("csvx.deliveries").tag("outcome", "dead").register(meters);
    }

    /// An outcome with what the observers need of the delivery it ends or continues.
    private record Recorded(DeliveryQueue.Outcome outcome, int attemptsMade, String eventId) {
    }

    void observe(DeliveryObserver observer) {
        observers.add(observer);
    }

    void start() {
        thread = Thread.ofPlatform().name("csvx-attempt-recorder").daemon(true).start(this::loop);
    }

    /// The outcome of one attempt at `url`, which started at `started` and took `nanos`; queued
    /// for the next batch, and answered for those who want to see it.
    DeliveryQueue.Outcome record(Claimed c, String url, AttemptResult.Response response, Instant started, long nanos) {
        Instant now = clock.instant();
        int attemptsMade = c.attempts() + 1;
        AttemptResult result = AttemptResult.classify(response, attemptsMade, retryPolicy, now);
        int status = result instanceof AttemptResult.Delivered ? DeliveryState.SUCCESS : DeliveryState.FAIL;
        Attempt attempt = new Attempt(ids.next(Attempt.ID_PREFIX), c.message().id(), c.endpointId(), c.message().appId(), url,
                status, result.statusCode(), result.body(), TimeUnit.NANOSECONDS.toMillis(nanos), result.error(),
                c.triggerType(), started);
        String key = c.orderingKey();
        boolean block = key != null && endpoints.get(c.endpointId())
                .map(e -> e.endpoint().ordering() == Ordering.BLOCK).orElse(false);
        DeliveryQueue.Outcome outcome = switch (result) {
            case AttemptResult.Delivered d -> {
                delivered.increment();
                yield new DeliveryQueue.Outcome(attempt, null, DeliveryState.SUCCESS, false, null, key, block);
            }
            case AttemptResult.Retry r -> {
                retried.increment();
                LOG.debug("{} to {}: {} (attempt {}), retry at {}", c.message().id(), c.endpointId(), r.error(),
                        attemptsMade, r.at());
                yield new DeliveryQueue.Outcome(attempt, r.at(), DeliveryState.PENDING, false, now.minus(disableAfter),
                        key, block);
            }
            case AttemptResult.Dead d -> {
                dead.increment();
                LOG.info("{} to {} failed for good after {} attempts: {}", c.message().id(), c.endpointId(),
                        attemptsMade, d.error());
                yield new DeliveryQueue.Outcome(attempt, null, DeliveryState.FAIL, d.gone(), now.minus(disableAfter),
                        key, block);
            }
        };
        outcomes.add(new Recorded(outcome, attemptsMade, c.message().eventId()));
        return outcome;
    }

    /// Writes what is queued, then stops; outcomes recorded after this are not written.
    void close() {
        recording = false;
        join();
    }

    /// Stops at once, writing nothing more, as a crash would.
    void halt() {
        halted = true;
        recording = false;
        join();
    }

    private void join() {
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        List<Recorded> batch = new ArrayList<>(BATCH);
        while ((recording || !outcomes.isEmpty()) && !halted) {
            try {
                Recorded first = outcomes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writes.acquire();
                if (outcomes.size() < LINGER_UNLESS - 1) {
                    Thread.sleep(LINGER_MILLIS);
                }
                if (halted) {
                    return; // halted while it waited: nothing more is written, as after a crash
                }
                batch.add(first);
                outcomes.drainTo(batch, BATCH - 1);
                List<Recorded> recorded = List.copyOf(batch);
                List<DeliveryQueue.Outcome> those = recorded.stream().map(Recorded::outcome).toList();
                batch.clear();
                CompletableFuture<DeliveryQueue.Written> writing = queue.record(those);
                writing.whenComplete((w, error) -> {
                    writes.release();
                    written.accept(those.size());
                    if (error != null) {
                        LOG.error("recording {} attempts failed; their leases will expire and the deliveries repeat",
                                those.size(), error);
                    }
                });
                // observers hear of batches in the order they were formed, whichever commits first
                told.after(writing, (w, error) -> {
                    if (error != null) {
                        return;
                    }
                    if (!observers.isEmpty()) {
                        recorded.forEach(this::observe);
                    }
                    w.disabled().forEach(id -> disabled(id, those));
                    if (w.promoted() > 0) {
                        promoted.run();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void observe(Recorded r) {
        Attempt a = r.outcome().attempt();
        for (DeliveryObserver o : observers) {
            if (r.outcome().nextAttempt() == null && r.outcome().finalStatus() == DeliveryState.FAIL) {
                o.exhausted(a, r.eventId());
            } else if (r.outcome().nextAttempt() != null && r.attemptsMade() == DeliveryObserver.FAILING_AFTER) {
                o.failing(a, r.eventId());
            } else if (a.status() == DeliveryState.SUCCESS && r.attemptsMade() > DeliveryObserver.FAILING_AFTER) {
                o.recovered(a, r.eventId());
            }
        }
    }

    private void disabled(String endpointId, List<DeliveryQueue.Outcome> writing) {
        DeliveryQueue.Outcome cause = writing.stream().filter(o -> o.attempt().endpointId().equals(endpointId))
                .reduce((a, b) -> b).orElseThrow();
        String appId = cause.attempt().appId();
        endpoints.disabled(appId, endpointId);
        String reason = cause.gone() ? "endpoint answered 410 Gone"
                : "failing continuously for longer than " + disableAfter;
        LOG.warn("endpoint {} of app {} disabled: {}", endpointId, appId, reason);
        for (DeliveryObserver o : observers) {
            o.endpointDisabled(appId, endpointId, reason);
        }
    }
}
