package io.csvx.job;

import io.csvx.store.Job;
import io.csvx.store.Stores;

/// The one way a job is queued, whatever started it (an API call, an upload's trigger, a chain, a
/// source's fetch): store it, then signal the work, here at once and to the other nodes on a
/// shared database.
final class JobQueue {
    private final Stores stores;
    private final Runnable wakeUp;

    JobQueue(Stores stores, Runnable wakeUp) {
        this.stores = stores;
        this.wakeUp = wakeUp;
    }

    Job enqueue(Job job) {
        Job created = stores.jobs().create(job);
        wakeUp.run();
        stores.db().announceWork(); // another node may have a free slot
        return created;
    }
}
