package io.csvx.delivery;

import io.csvx.message.Message;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/// The durable delivery queue: claim due work with a lease, record outcomes, release.
public interface DeliveryQueue {

    /// A claimed delivery with the message it carries; `orderingKey` names the ordering-key line
    /// the delivery is in at its endpoint, null when it is in none.
    record Claimed(Message message, String endpointId, int attempts, int triggerType, String orderingKey) {
        /// A delivery in no ordering-key line.
        public Claimed(Message message, String endpointId, int attempts, int triggerType) {
            this(message, endpointId, attempts, triggerType, null);
        }
    }

    /// What an attempt changes: the attempt row, the delivery's next state and the endpoint's health.
    ///
    /// @param nextAttempt   when to try again; null when the delivery is finished
    /// @param finalStatus   0 success or 2 fail when finished; ignored otherwise
    /// @param gone          the endpoint answered 410 Gone: disable it
    /// @param failingCutoff a failed attempt disables the endpoint when it has been failing since before this
    /// @param orderingKey   the ordering-key line the delivery is in ([Claimed#orderingKey]), or
    ///                      null: when it has finished, the line's next delivery becomes due
    /// @param blockOnFailure whether a delivery of that line failing for good holds the line up
    ///                      (the endpoint's ordering is `block`) instead of letting it move on
    record Outcome(Attempt attempt, Instant nextAttempt, int finalStatus, boolean gone, Instant failingCutoff,
                   String orderingKey, boolean blockOnFailure) {
        /// The outcome of a delivery of a message without an ordering key.
        public Outcome(Attempt attempt, Instant nextAttempt, int finalStatus, boolean gone, Instant failingCutoff) {
            this(attempt, nextAttempt, finalStatus, gone, failingCutoff, null, false);
        }
    }

    /// What a batch of outcomes changed besides the deliveries themselves: the endpoints it
    /// disabled and how many deliveries waiting in an ordering key's line it made due.
    record Written(List<String> disabled, int promoted) {
    }

    default List<Claimed> claim(String owner, Instant now, Instant leaseUntil, int limit) {
        return claim(owner, now, leaseUntil, limit, limit, List.of());
    }

    /// Claims up to `limit` due deliveries, at most `perEndpoint` of any one endpoint and none of
    /// the endpoints in `skip`, taking turns between endpoints (each one's oldest first) so that
    /// one endpoint's backlog cannot fill a claim that others are waiting for.
    List<Claimed> claim(String owner, Instant now, Instant leaseUntil, int limit, int perEndpoint,
                        java.util.Collection<String> skip);

    /// Records attempts and their effects in one transaction, and moves on the ordering-key lines
    /// whose head they ended.
    CompletableFuture<Written> record(List<Outcome> outcomes);

    /// Gives back claimed deliveries that were not attempted, due at `now`.
    void release(String owner, List<Claimed> claimed, Instant now);

    /// Makes the delivery due again as a manual trigger, creating it when the endpoint never had one.
    /// A delivery waiting in its ordering key's line keeps its place; one that failed for good and
    /// blocks its line goes back to the line's front.
    void resend(String msgId, String endpointId, String appId, Instant now);

    /// Pending deliveries that are due at enabled endpoints (what claims may take) and the due
    /// time of the oldest (null when none).
    record Depth(long due, Instant oldestDue) {
    }

    Depth depth(Instant now);

    /// Which deliveries the console lists across every application: pending ones that are due,
    /// pending ones being retried, and the latest that ended delivered or failed for good.
    enum Listing {
        DUE, RETRYING, DELIVERED, FAILED
    }

    /// A delivery in such a list; `at` is when it is due (due, retrying) or when it ended.
    record Row(String appId, String msgId, String endpointId, int attempts, Instant at) {
    }

    /// The first `limit` deliveries of a listing: due and retrying ones soonest due first,
    /// delivered and failed ones latest first.
    java.util.List<Row> list(Listing which, Instant now, int limit);

    /// Removes up to `limit` finished deliveries last changed before `before` (retention): one
    /// transaction, kept short; returns how many.
    int purgeFinished(Instant before, int limit);
}
