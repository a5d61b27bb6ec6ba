package io.csvx.delivery;

import java.time.Instant;
import java.util.List;

/// Every node's readings ([QueueGauges.Reading]), kept so that any node can show them all.
public interface ReadingStore {
    void record(QueueGauges.Reading reading);

    /// The readings of every node taken at `from` or later, by node, oldest first.
    List<QueueGauges.Reading> since(Instant from);

    /// Removes the readings taken before `before`; answers how many.
    int prune(Instant before);
}
