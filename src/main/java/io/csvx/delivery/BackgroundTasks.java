package io.csvx.delivery;

import io.csvx.delivery.BackgroundTask.Kind;
import io.csvx.delivery.BackgroundTask.Params;
import io.csvx.delivery.BackgroundTask.Status;
import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.message.Message;
import io.csvx.store.Db;
import io.csvx.store.Ids;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Recover, replay-missing and bulk replay as durable background tasks: each is kept before it
/// starts, works through its messages in batches (each batch and the task's progress in one
/// transaction, so memory and transactions stay bounded however many messages it covers), and
/// holds a lease while it runs. A task whose node stops is resumed from its cursor by any node
/// after the lease runs out ([#resumeStale], called periodically).
public final class BackgroundTasks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundTasks.class);
    /// Messages per batch: one transaction's worth.
    static final int BATCH = 500;

    private final TaskStore store;
    private final EndpointService endpoints;
    private final Dispatcher dispatcher;
    private final Db db;
    private final Ids ids;
    private final String node;
    private final Duration lease;
    private final Clock clock;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("csvx-task-", 0).factory());
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final List<Consumer<BackgroundTask>> onEnd = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public BackgroundTasks(TaskStore store, EndpointService endpoints, Dispatcher dispatcher, Db db, Ids ids,
                           String node, Duration lease, Clock clock) {
        this.store = store;
        this.endpoints = endpoints;
        this.dispatcher = dispatcher;
        this.db = db;
        this.ids = ids;
        this.node = node;
        this.lease = lease;
        this.clock = clock;
    }

    /// Calls `listener` with each task this node finishes or fails.
    public void onEnd(Consumer<BackgroundTask> listener) {
        onEnd.add(listener);
    }

    /// Keeps and starts a task on `endpoint`. A range without an end ends now, so a replay does not
    /// chase messages published while it runs (those are delivered anyway). Empty, and nothing
    /// started, for a replay to a disabled endpoint: it is enabled before anything is sent to it
    /// (a recover only makes failed deliveries due again, which waits for it as well).
    public Optional<BackgroundTask> start(Kind kind, Endpoint endpoint, Params params) {
        if (kind != Kind.RECOVER && endpoint.disabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // to the millisecond, as the store keeps times
        Instant until = params.until() != null ? params.until().truncatedTo(ChronoUnit.MILLIS) : now;
        Params p = new Params(params.since().truncatedTo(ChronoUnit.MILLIS), until, params.eventTypes(),
                params.channel(), params.tag(), params.status(), params.statusCodeClass());
        BackgroundTask task = new BackgroundTask(ids.next("qtask_"), kind, Status.RUNNING, endpoint.appId(),
                endpoint.id(), p, null, 0, 0, null, now, now);
        store.insert(task, node, now.plus(lease));
        run(task);
        return Optional.of(task);
    }

    public Optional<BackgroundTask> find(String id) {
        return store.find(id);
    }

    public Page<BackgroundTask> list(PageRequest page, Status status, Kind kind) {
        return store.list(page, status, kind);
    }

    /// Takes over running tasks whose node let their lease run out.
    public void resumeStale() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        for (BackgroundTask t : store.claimStale(node, now, now.plus(lease), 10)) {
            LOG.info("resuming background task {} ({}) after message {}", t.id(), t.kind().wire, t.cursor());
            run(t);
        }
    }

    private void run(BackgroundTask task) {
        if (!running.add(task.id())) {
            return;
        }
        workers.execute(() -> {
            try {
                work(task);
            } finally {
                running.remove(task.id());
            }
        });
    }

    private void work(BackgroundTask task) {
        Optional<Endpoint> endpoint = endpoints.byId(task.endpointId());
        if (endpoint.isEmpty()) {
            end(task, Status.FAILED, "the endpoint was deleted");
            return;
        }
        Endpoint e = endpoint.get();
        // a replay of missing messages sends what the endpoint would have been sent, had it existed
        // then as it is now (disabled or not: the API refuses to start one on a disabled endpoint)
        Predicate<Message> accepts = m -> e.wants(m.eventType(), m.channels());
        BackgroundTask current = task;
        try {
            while (!closed) {
                Instant now = clock.instant();
                BackgroundTask.Step step = store.step(current, node, BATCH, accepts, now, now.plus(lease));
                if (step.scheduled() > 0) {
                    dispatcher.wakeUp();
                    db.announceWork();
                }
                current = new BackgroundTask(current.id(), current.kind(), current.status(), current.appId(),
                        current.endpointId(), current.params(), step.cursor() != null ? step.cursor() : current.cursor(),
                        current.scanned() + step.scanned(), current.scheduled() + step.scheduled(), null,
                        current.createdAt(), now);
                if (step.done()) {
                    end(current, Status.FINISHED, null);
                    return;
                }
            }
        } catch (StoreException e2) {
            // the lease went to another node, or the database failed: whoever holds the lease next resumes
            LOG.warn("background task {} stopped on this node: {}", task.id(), e2.getMessage());
        } catch (RuntimeException bug) {
            LOG.error("background task {} failed", task.id(), bug);
            end(current, Status.FAILED, "internal error; see the server log");
        }
    }

    private void end(BackgroundTask task, Status status, String error) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.finish(task.id(), status, error, now);
        BackgroundTask ended = new BackgroundTask(task.id(), task.kind(), status, task.appId(), task.endpointId(),
                task.params(), task.cursor(), task.scanned(), task.scheduled(), error, task.createdAt(), now);
        LOG.info("background task {} ({}) {}: {} messages looked at, {} deliveries due", task.id(), task.kind().wire,
                status.wire(), task.scanned(), task.scheduled());
        for (Consumer<BackgroundTask> listener : onEnd) {
            listener.accept(ended);
        }
    }

    /// Stops taking batches; tasks still running keep their lease and are resumed after it runs out.
    @Override
    public void close() {
        closed = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
