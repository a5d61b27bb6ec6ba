package io.csvx.message;

import java.time.Instant;
import java.util.List;

/// What publishing needs of the delivery engine on this node (`delivery.Dispatcher` is it):
/// whether it has room to take new deliveries at once, and to be handed them.
public interface DeliveryEngine {
    /// The name this node's leases are taken under.
    String owner();

    /// True when this node can take `n` more deliveries straight from a publish.
    boolean hasRoomFor(int n);

    /// Deliveries leased to this node by a publish that just committed.
    void submit(Message message, List<String> endpointIds, Instant leaseUntil);

    /// Look at the queue now: new work is due.
    void wakeUp();
}
