package io.csvx.message;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.endpoint.Ordering;
import io.csvx.store.Db;
import io.csvx.store.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/// Publishing: fans a message out to the matching endpoints and commits message and deliveries
/// together before anyone is told it was accepted. When this node has room, the deliveries are
/// leased to it in that same transaction and sent at once, without waiting for a poll.
public final class Publisher {
    private static final ObjectMapper EVENT_JSON = Events.newMapper();

    private final MessageStore messages;
    private final Clock clock;
    private final Db db;
    private final DeliveryEngine engine;
    private final EndpointService endpoints;
    private final Duration lease;
    private final PayloadFilters filters = new PayloadFilters();
    private final Ids ids;

    public Publisher(MessageStore messages, Db db, DeliveryEngine engine, EndpointService endpoints, Duration lease,
                     Ids ids, Clock clock) {
        this.messages = messages;
        this.clock = clock;
        this.db = db;
        this.engine = engine;
        this.endpoints = endpoints;
        this.lease = lease;
        this.ids = ids;
    }

    /// Stores the message with one delivery per matching endpoint: its event type, channels and
    /// payload filter let the message through.
    ///
    /// The endpoints come from a cache that another node's change reaches within its TTL: when
    /// one of them was deleted meanwhile (its delivery's foreign key fails, and nothing of the
    /// message is stored), the application's endpoints are read again and the message published
    /// once more to those that are left. [io.csvx.store.StoreException.Gone] when it fails so
    /// again (the application itself is gone).
    public void publish(Message message) {
        publish(message, null);
    }

    /// As above, keeping `answer` with the message in its transaction (null: none):
    /// [MessageStore.KeyTaken] when its key was answered already, and nothing is stored.
    public void publish(Message message, MessageStore.Answer answer) {
        try {
            fanOut(message, answer);
        } catch (io.csvx.store.StoreException.Gone e) {
            endpoints.forgetApp(message.appId());
            fanOut(message, answer);
        }
    }

    private void fanOut(Message message, MessageStore.Answer answer) {
        List<String> targets = new ArrayList<>();
        PayloadFilters.Payload payload = new PayloadFilters.Payload(message.payload());
        List<Endpoint> all = endpoints.forApp(message.appId());
        for (Endpoint e : all) {
            if (e.accepts(message.eventType(), message.channels()) && filters.matches(e, payload)) {
                targets.add(e.id());
            }
        }
        publish(message, targets, ordered(message, all, targets), answer);
    }

    /// Those of `targets` where the message joins its ordering key's line: none without a key.
    private static Set<String> ordered(Message message, List<Endpoint> all, List<String> targets) {
        if (message.orderingKey() == null) {
            return Set.of();
        }
        Set<String> ordered = new HashSet<>();
        for (Endpoint e : all) {
            if (e.ordering() != Ordering.OFF && targets.contains(e.id())) {
                ordered.add(e.id());
            }
        }
        return ordered;
    }

    /// The endpoints of the message's application that its event type and channels would reach
    /// but whose payload filter kept it out: the console shows them as filtered.
    public List<Endpoint> filteredOut(Message message) {
        List<Endpoint> out = new ArrayList<>();
        PayloadFilters.Payload payload = new PayloadFilters.Payload(message.payload());
        for (Endpoint e : endpoints.forApp(message.appId())) {
            if (e.filter() != null && e.wants(message.eventType(), message.channels()) && !filters.matches(e, payload)) {
                out.add(e);
            }
        }
        return out;
    }

    /// Stores the message with a delivery to each of `targets` only, whatever their filters say
    /// (and, with an ordering key, in line at the endpoints whose ordering is on).
    public void publishTo(Message message, List<String> targets) {
        publish(message, targets, message.orderingKey() == null ? Set.of()
                : ordered(message, endpoints.forApp(message.appId()), targets), null);
    }

    private void publish(Message message, List<String> targets, Set<String> ordered, MessageStore.Answer answer) {
        // a message to be delivered later waits in the queue, due at its time; so do its deliveries
        // to endpoints that hold as much on this node as they can send soon, and those in an
        // ordering key's line, whose turn the queue decides
        boolean deferred = message.deferred(clock.instant());
        List<String> unordered = ordered.isEmpty() ? targets : targets.stream().filter(t -> !ordered.contains(t)).toList();
        List<String> direct = unordered.isEmpty() || deferred ? List.of() : engine.reserve(message.appId(), unordered);
        Instant leaseUntil = direct.isEmpty() ? null : clock.instant().plus(lease);
        try {
            messages.publish(message, targets, Set.copyOf(direct), ordered,
                    direct.isEmpty() ? null : engine.owner(), leaseUntil, answer);
        } catch (RuntimeException e) {
            if (!direct.isEmpty()) {
                engine.release(message.appId(), direct);
            }
            throw e;
        }
        if (!direct.isEmpty()) {
            engine.submit(message, direct, leaseUntil);
        }
        if (direct.size() < targets.size() && !deferred) {
            engine.queued(targets.stream().filter(t -> !direct.contains(t)).toList());
            db.announceWork(); // another node may have room
        }
    }

    /// Publishes one of CSV-X's own events in the Standard Webhooks shape
    /// `{"type", "timestamp", "data"}`, `data` serialised from `data` (records and times included).
    /// With an `eventId` it is published once: [io.csvx.store.StoreException.Conflict] when it
    /// already was. Payloads are kept 90 days (the node's `--retention` may cap that).
    public void publishEvent(String appId, String type, String eventId, Instant at, Object data) {
        publishEvent(appId, type, eventId, at, data, null);
    }

    /// As above, in line behind the earlier events of `orderingKey` (null: none) at endpoints
    /// whose ordering is on.
    public void publishEvent(String appId, String type, String eventId, Instant at, Object data, String orderingKey) {
        ObjectNode payload = EVENT_JSON.createObjectNode();
        payload.put("type", type);
        payload.put("timestamp", at.toString());
        payload.set("data", EVENT_JSON.valueToTree(data));
        publish(new Message(ids.next("msg_"), appId, type, eventId, null, null, payload.toString(), at,
                at.plus(Events.DEFAULT_RETENTION), null, orderingKey));
    }
}
