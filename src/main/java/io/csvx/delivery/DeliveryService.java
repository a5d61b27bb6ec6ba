package io.csvx.delivery;

import io.csvx.endpoint.Endpoint;
import io.csvx.message.Message;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// What the API asks of delivery beyond publishing: sending again by hand, and the attempts.
/// Work made due here is signalled like any other: this node's dispatcher looks at once, and the
/// other nodes on a shared database are told.
public final class DeliveryService {
    private final DeliveryQueue queue;
    private final AttemptStore attempts;
    private final Dispatcher dispatcher;
    private final Db db;

    public DeliveryService(DeliveryQueue queue, AttemptStore attempts, Dispatcher dispatcher, Db db) {
        this.queue = queue;
        this.attempts = attempts;
        this.dispatcher = dispatcher;
        this.db = db;
    }

    /// Makes the message's delivery to the endpoint due now, as a manual trigger; false (and
    /// nothing done) when the endpoint is disabled: it is enabled before anything is sent to it.
    public boolean resend(Message message, Endpoint endpoint, Instant now) {
        if (endpoint.disabled()) {
            return false;
        }
        queue.resend(message.id(), endpoint.id(), message.appId(), now);
        newWork();
        return true;
    }

    /// Forgets an attempt's response body for good; false when there is no such attempt.
    /// The console's lists of deliveries across every application.
    public List<DeliveryQueue.Row> list(DeliveryQueue.Listing which, Instant now, int limit) {
        return queue.list(which, now, limit);
    }

    public boolean expungeResponse(String msgId, String attemptId) {
        return attempts.expungeResponse(msgId, attemptId);
    }

    public Page<Attempt> attemptsOfMessage(String msgId, PageRequest page, AttemptStore.Filter filter) {
        return attempts.byMessage(msgId, page, filter);
    }

    public Page<Attempt> attemptsAtEndpoint(String endpointId, PageRequest page, AttemptStore.Filter filter) {
        return attempts.byEndpoint(endpointId, page, filter);
    }

    /// Attempts of the application made in [since, until), by event type and status.
    public List<AttemptStore.Count> attemptCounts(String appId, Instant since, Instant until, List<String> eventTypes) {
        return attempts.count(appId, since, until, eventTypes);
    }

    public long countAtEndpoint(String endpointId, AttemptStore.Filter filter) {
        return attempts.countAtEndpoint(endpointId, filter);
    }

    public Optional<Attempt> attempt(String msgId, String attemptId) {
        return attempts.find(msgId, attemptId);
    }

    private void newWork() {
        dispatcher.wakeUp();
        db.announceWork();
    }
}
