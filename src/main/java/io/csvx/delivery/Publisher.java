package io.csvx.delivery;

import io.csvx.store.Endpoint;
import io.csvx.store.Message;
import io.csvx.store.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/// Publishing: fans a message out to the matching endpoints and commits message and deliveries
/// together before anyone is told it was accepted. When this node has room, the deliveries are
/// leased to it in that same transaction and sent at once, without waiting for a poll.
public final class Publisher {
    private final Stores stores;
    private final Dispatcher dispatcher;
    private final EndpointDirectory endpoints;
    private final java.time.Duration lease;

    public Publisher(Stores stores, Dispatcher dispatcher, EndpointDirectory endpoints, java.time.Duration lease) {
        this.stores = stores;
        this.dispatcher = dispatcher;
        this.endpoints = endpoints;
        this.lease = lease;
    }

    /// Stores the message with one delivery per matching endpoint.
    public void publish(Message message) {
        List<String> targets = new ArrayList<>();
        for (Endpoint e : endpoints.forApp(message.appId())) {
            if (e.accepts(message.eventType(), message.channels())) {
                targets.add(e.id());
            }
        }
        boolean direct = !targets.isEmpty() && dispatcher.hasRoomFor(targets.size());
        Instant leaseUntil = direct ? Instant.now().plus(lease) : null;
        stores.messages().publish(message, targets, direct ? dispatcher.owner() : null, leaseUntil);
        if (direct) {
            dispatcher.submit(message, targets, leaseUntil);
        } else if (!targets.isEmpty()) {
            dispatcher.wakeUp();
            stores.db().announceWork(); // another node may have room
        }
    }
}
