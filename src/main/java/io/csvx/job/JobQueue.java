package io.csvx.job;

import io.csvx.store.Db;

/// The one way a job is queued, whatever started it (an API call, an upload's trigger, a chain, a
/// source's fetch): store it, then signal the work, here at once and to the other nodes on a
/// shared database.
final class JobQueue {
    private final JobStore jobs;
    private final Db db;
    private final Runnable wakeUp;

    JobQueue(JobStore jobs, Db db, Runnable wakeUp) {
        this.jobs = jobs;
        this.db = db;
        this.wakeUp = wakeUp;
    }

    Job enqueue(Job job) {
        Job created = jobs.create(job);
        wakeUp.run();
        db.announceWork(); // another node may have a free slot
        return created;
    }
}
