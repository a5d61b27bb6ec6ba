package io.csvx.message;

import io.csvx.endpoint.Endpoint;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/// Messages and what became of them at each endpoint.
public interface MessageStore {
    /// A message as seen from one endpoint.
    record Destination(Endpoint endpoint, DeliveryState state) {
    }

    /// A message with its delivery state at one endpoint.
    record EndpointMessage(Message message, DeliveryState state) {
    }

    /// Filters for message lists; null fields do not filter. A message passes `channels` when it
    /// has any of them; `before` and `after` are exclusive.
    record Filter(List<String> channels, String tag, List<String> eventTypes, Instant before, Instant after) {
        public static final Filter NONE = new Filter(null, null, null, null, null);
    }

    /// Commits the message and one pending delivery per endpoint in one transaction.
    /// When `leaseOwner` is set the deliveries start claimed by it until `leaseUntil`
    /// (the publisher hands them straight to its dispatcher). Conflict when the eventId is taken.
    default void publish(Message message, List<String> endpointIds, String leaseOwner, Instant leaseUntil) {
        publish(message, endpointIds, leaseOwner == null ? java.util.Set.of() : java.util.Set.copyOf(endpointIds),
                leaseOwner, leaseUntil);
    }

    /// As [#publish(Message, List, String, Instant)], with only the deliveries to `leased` starting
    /// claimed; the others are due at once (or at the message's `deliverAt`).
    default void publish(Message message, List<String> endpointIds, java.util.Set<String> leased, String leaseOwner,
                         Instant leaseUntil) {
        publish(message, endpointIds, leased, java.util.Set.of(), leaseOwner, leaseUntil);
    }

    /// As above, with the deliveries to `ordered` (when the message has an ordering key) in line
    /// behind the pending deliveries of that key to the same endpoint: such a delivery is due only
    /// once the one before it ended (delivered, or failed for good without blocking the key), and
    /// is never leased here, whatever `leased` says.
    default void publish(Message message, List<String> endpointIds, java.util.Set<String> leased,
                         java.util.Set<String> ordered, String leaseOwner, Instant leaseUntil) {
        publish(message, endpointIds, leased, ordered, leaseOwner, leaseUntil, null);
    }

    /// As above, keeping `answer` (when not null) in the same transaction: the message is stored
    /// only if its key was free, [KeyTaken] otherwise.
    void publish(Message message, List<String> endpointIds, java.util.Set<String> leased, java.util.Set<String> ordered,
                 String leaseOwner, Instant leaseUntil, Answer answer);

    /// The answer to a publish request, kept with the message it published under `key` (the
    /// request's method, path and idempotency key), so that a repeat of the request is answered
    /// the same and publishes nothing: one write, where a key reserved before and answered after
    /// the publish took three.
    record Answer(String key, int status, String body, Instant at) {
    }

    /// Another request with the same idempotency key was answered first (a concurrent one, on
    /// any node): nothing was stored; its answer is the one to give.
    final class KeyTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public KeyTaken(String key) {
            super("idempotency key already answered: " + key, null, false, false);
        }
    }

    Optional<Message> find(String appId, String idOrEventId);

    Page<Message> list(String appId, PageRequest page, Filter filter);

    /// The messages of `appId` among `ids`, in no particular order.
    List<Message> findAll(String appId, Collection<String> ids);

    List<Destination> destinations(String msgId, Instant now);

    /// One batch of the retention pass over payloads: of the (at most) `limit` messages after
    /// `after` in id order, replaces with `{}` the payload of those past their own retention
    /// period, or created before `createdBefore` (the node's retention caps every message's).
    /// A pass starts after `""` and goes on after each batch's [Expunged#last] until a batch
    /// looks at none.
    Expunged expungeExpired(Instant now, Instant createdBefore, String after, int limit);

    /// What one batch of the pass over payloads did: the messages it looked at, the payloads it
    /// replaced, and the last id it looked at (`after` again when it looked at none).
    record Expunged(int looked, int expunged, String last) {
    }

    /// Replaces the message's payload with `{}`.
    void expungePayload(String appId, String msgId);

    Page<EndpointMessage> byEndpoint(String endpointId, PageRequest page, Integer status, Filter filter, Instant now);
}
