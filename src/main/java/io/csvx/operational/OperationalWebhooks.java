package io.csvx.operational;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.delivery.Attempt;
import io.csvx.delivery.BackgroundTask;
import io.csvx.delivery.DeliveryObserver;
import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.message.Events;
import io.csvx.message.Publisher;
import io.csvx.tenant.Application;
import io.csvx.tenant.TenantService;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Operational webhooks: events about the installation itself (an endpoint created, changed,
/// disabled; a delivery failing, exhausted, recovered; a background task finished) sent to the
/// operator's own endpoints, in Svix's shapes. Those endpoints belong to an application CSV-X
/// keeps for itself ([#APP_ID], hidden from the API's application routes), so the events are
/// messages like any other: stored before they count as sent, signed, retried, listed. They are
/// built and published off the delivery path, on a thread of their own, so reporting never
/// slows what is reported on.
public final class OperationalWebhooks implements DeliveryObserver, EndpointService.Observer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationalWebhooks.class);
    /// The id of the application that holds the operational endpoints and their messages.
    public static final String APP_ID = "app_csvx_operational";
    /// Events waiting to be published at most; beyond that they are dropped and counted.
    private static final int BACKLOG = 10_000;
    private static final ObjectMapper JSON = Events.newMapper();

    private final TenantService tenants;
    private final EndpointService endpoints;
    private final Publisher publisher;
    private final Clock clock;
    private final ThreadPoolExecutor worker;
    private final AtomicLong dropped = new AtomicLong();
    private Application app;

    public OperationalWebhooks(TenantService tenants, EndpointService endpoints, Publisher publisher, Clock clock) {
        this.tenants = tenants;
        this.endpoints = endpoints;
        this.publisher = publisher;
        this.clock = clock;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG),
                Thread.ofVirtual().name("csvx-operational").factory());
    }

    /// Creates the operational application on first start; every node reserves it.
    public void start() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        app = tenants.reserve(new Application(APP_ID, null, "CSV-X operational webhooks", null, "{}", now, now));
    }

    /// The application holding the operational endpoints.
    public Application application() {
        return app;
    }

    @Override
    public void created(Endpoint e) {
        endpointEvent("endpoint.created", e, null);
    }

    @Override
    public void updated(Endpoint before, Endpoint after) {
        endpointEvent("endpoint.updated", after, null);
        if (before != null && before.disabled() != after.disabled()) {
            endpointEvent(after.disabled() ? "endpoint.disabled" : "endpoint.enabled", after, "manual");
        }
    }

    @Override
    public void deleted(Endpoint e) {
        endpointEvent("endpoint.deleted", e, null);
    }

    @Override
    public void endpointDisabled(String appId, String endpointId, String reason) {
        if (reported(appId)) {
            emit("endpoint.disabled", () -> endpoints.byId(endpointId).map(e -> {
                ObjectNode data = endpointData(e);
                data.put("failSince", e.failingSince() == null ? null : e.failingSince().toString());
                data.put("trigger", "automatic");
                data.put("reason", reason);
                return data;
            }).orElse(null));
        }
    }

    @Override
    public void failing(Attempt last, String eventId) {
        attemptEvent("message.attempt.failing", last, eventId);
    }

    @Override
    public void exhausted(Attempt last, String eventId) {
        attemptEvent("message.attempt.exhausted", last, eventId);
    }

    @Override
    public void recovered(Attempt attempt, String eventId) {
        attemptEvent("message.attempt.recovered", attempt, eventId);
    }

    /// `background_task.finished`, for a task that finished or failed.
    public void taskEnded(BackgroundTask t) {
        emit("background_task.finished", () -> {
            ObjectNode data = JSON.createObjectNode();
            data.put("taskId", t.id());
            data.put("task", t.kind().wire);
            data.put("status", t.status().wire());
            ObjectNode counts = data.putObject("data");
            counts.put("appId", t.appId());
            counts.put("endpointId", t.endpointId());
            counts.put("messagesScanned", t.scanned());
            counts.put("deliveriesScheduled", t.scheduled());
            if (t.error() != null) {
                counts.put("error", t.error());
            }
            return data;
        });
    }

    private void endpointEvent(String type, Endpoint e, String trigger) {
        if (!reported(e.appId())) {
            return;
        }
        emit(type, () -> {
            ObjectNode data = endpointData(e);
            if (trigger != null) {
                data.put("failSince", e.failingSince() == null ? null : e.failingSince().toString());
                data.put("trigger", trigger);
            }
            return data;
        });
    }

    private void attemptEvent(String type, Attempt a, String eventId) {
        if (!reported(a.appId())) {
            return;
        }
        emit(type, () -> {
            ObjectNode data = JSON.createObjectNode();
            data.put("appId", a.appId());
            data.put("appUid", tenants.findCached(a.appId()).map(Application::uid).orElse(null));
            data.put("msgId", a.msgId());
            data.put("msgEventId", eventId);
            data.put("endpointId", a.endpointId());
            data.putPOJO("lastAttempt", Map.of("id", a.id(), "timestamp", a.timestamp().toString(),
                    "responseStatusCode", a.statusCode()));
            return data;
        });
    }

    private ObjectNode endpointData(Endpoint e) {
        ObjectNode data = JSON.createObjectNode();
        data.put("appId", e.appId());
        data.put("appUid", tenants.findCached(e.appId()).map(Application::uid).orElse(null));
        data.put("endpointId", e.id());
        data.put("endpointUid", e.uid());
        return data;
    }

    /// Events about the operational endpoints themselves are not reported: they would report on
    /// their own reports.
    private boolean reported(String appId) {
        return app != null && !APP_ID.equals(appId);
    }

    /// Builds and publishes the event on the worker, when some operational endpoint is there to get it.
    private void emit(String type, Supplier<ObjectNode> data) {
        try {
            worker.execute(() -> {
                try {
                    if (endpoints.forApp(APP_ID).isEmpty()) {
                        return;
                    }
                    ObjectNode d = data.get();
                    if (d != null) {
                        publisher.publishEvent(APP_ID, type, null, clock.instant().truncatedTo(ChronoUnit.MILLIS), d);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("operational event {} not sent: {}", type, e.toString());
                }
            });
        } catch (RejectedExecutionException full) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("operational events are arriving faster than they are published; {} dropped so far",
                        dropped.get());
            }
        }
    }

    /// Publishes what is waiting, for at most a few seconds.
    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
