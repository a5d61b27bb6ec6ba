package io.csvx.message;

import java.time.Instant;
import java.util.List;

/// What publishing needs of the delivery engine on this node (`delivery.Dispatcher` is it): room
/// for new deliveries at once, taken before the publish commits, and to be handed them.
public interface DeliveryEngine {
    /// The name this node's leases are taken under.
    String owner();

    /// Takes room for `n` more deliveries straight from a publish, when there is that much: true
    /// when taken. Whoever took it hands the deliveries to [#submit] or gives it back with
    /// [#release]; concurrent publishes never take more room than there is.
    boolean reserve(int n);

    /// Gives back room [#reserve] took for a publish that did not commit.
    void release(int n);

    /// Deliveries leased to this node by a publish that just committed, in the room it reserved.
    void submit(Message message, List<String> endpointIds, Instant leaseUntil);

    /// Look at the queue now: new work is due.
    void wakeUp();
}
