package io.csvx.message;

import java.time.Instant;
import java.util.List;

/// What publishing needs of the delivery engine on this node (`delivery.Dispatcher` is it): room
/// for new deliveries at once, taken before the publish commits, and to be handed them.
public interface DeliveryEngine {
    /// The name this node's leases are taken under.
    String owner();

    /// Takes room for a delivery of an application's message to each of `endpointIds` straight
    /// from a publish, for those whose endpoint can take more on this node now (it holds less than
    /// it can send soon, its application less than its share, and the node has room): answers them.
    /// Whoever took the room hands those deliveries to [#submit] or gives it back with [#release];
    /// the others wait in the durable queue, and the engine claims them itself once the endpoint,
    /// its application or the node has room again.
    List<String> reserve(String appId, List<String> endpointIds);

    /// Deliveries of a publish that just committed which [#reserve] did not take (or that wait in
    /// their ordering key's line): the engine looks at the queue for them unless each waits for
    /// its endpoint or application to have room, which makes it look anyway.
    void queued(List<String> endpointIds);

    /// Gives back room [#reserve] took for a publish that did not commit.
    void release(String appId, List<String> endpointIds);

    /// Deliveries leased to this node by a publish that just committed, in the room it reserved.
    void submit(Message message, List<String> endpointIds, Instant leaseUntil);

    /// Look at the queue now: new work is due.
    void wakeUp();
}
