package io.csvx.job;

import io.csvx.csv.CsvFormatException;
import io.csvx.file.CsvFile;
import io.csvx.file.FileService;
import io.csvx.store.Db;
import io.csvx.store.Ids;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Runs jobs on this node: claims queued jobs (and ones whose node died) up to `--jobs` at a time,
/// each on its own thread, renews their leases every second with their progress, stops a job
/// whose cancellation was asked for, and publishes how each ended. The end is stored first and
/// announced after (the `announced` flag is an outbox), so a crash between the two loses no event
/// and no chained job.
public final class JobRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /// A job started this many times without finishing is failed rather than started again.
    static final int MAX_RUNS = 3;
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final JobStore jobs;
    private final FileService files;
    private final Ids ids;
    private final JobEvents events;
    private final Fetcher fetcher;
    private final NewVersions versions;
    private final JobQueue queue;
    private final Clock clock;
    private final Chains chains;
    private final MeterRegistry meters;
    private final int slots;
    private final Duration lease;
    private final Duration poll;
    private final String owner;
    private final Semaphore free;
    private final Semaphore signal = new Semaphore(0);
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile boolean halted;
    private Thread poller;

    /// A job on its thread.
    private record Running(Job job, JobRun run, Thread thread, AtomicBoolean cancel) {
    }

    public JobRunner(JobStore jobs, PipelineStore pipelines, Db db, FileService files, Ids ids, String node,
                     JobEvents events, Fetcher fetcher, NewVersions versions, int slots, Duration lease, Duration poll, Clock clock,
                     MeterRegistry meters) {
        this.meters = meters;
        this.clock = clock;
        Gauge.builder("csvx.jobs.running", running, Map::size).description("jobs running on this node").register(meters);
        this.fetcher = fetcher;
        this.versions = versions;
        this.queue = new JobQueue(jobs, db, this::wakeUp);
        this.chains = new Chains(pipelines, jobs, ids, queue, clock);
        this.jobs = jobs;
        this.files = files;
        this.ids = ids;
        this.events = events;
        this.slots = slots;
        this.lease = lease;
        this.poll = poll;
        this.owner = node;
        this.free = new Semaphore(slots);
    }

    /// Where every job of this node is queued.
    JobQueue queue() {
        return queue;
    }

    /// CSV files arrived (written by a job of `pipelineId`, or uploaded when null): queues a
    /// diff for each version of a dataset they became.
    List<Job> arrived(List<CsvFile> arrived, String datasetId, String pipelineId) {
        List<Job> queued = new ArrayList<>();
        for (DiffSpec d : versions.arrived(arrived, datasetId, pipelineId)) {
            queued.add(diff(arrived.getFirst().appId(), d));
        }
        return queued;
    }

    /// Queues a diff of two versions of a dataset.
    Job diff(String appId, DiffSpec spec) {
        return queue.enqueue(Job.diff(ids.next("job_"), appId, spec, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    /// The clock this node's jobs are timed by.
    Clock clock() {
        return clock;
    }

    public void start() {
        if (slots > 0) {
            poller = Thread.ofPlatform().name("csvx-jobs").daemon(true).start(this::loop);
        }
    }

    /// New work: look now rather than at the next poll.
    public void wakeUp() {
        signal.release();
    }

    /// After a cancellation was stored: announces a queued job that is now cancelled, and stops a
    /// running one at once when it runs on this node (other nodes notice at their next heartbeat).
    void cancelled(Job j) {
        if (j.status() == Job.Status.CANCELLED) {
            announce(j);
            return;
        }
        Running r = running.get(j.id());
        if (r != null) {
            r.cancel().set(true);
            r.thread().interrupt();
        }
    }

    private void loop() {
        Instant nextSweep = Instant.EPOCH;
        while (!stopping) {
            try {
                signal.tryAcquire(Math.min(poll.toMillis(), HEARTBEAT.toMillis()), TimeUnit.MILLISECONDS);
                signal.drainPermits();
                if (stopping) {
                    return;
                }
                heartbeat();
                int room = free.availablePermits();
                if (room > 0) {
                    Instant now = clock.instant();
                    for (Job j : jobs.claim(owner, now, now.plus(lease), room)) {
                        begin(j);
                    }
                }
                if (clock.instant().isAfter(nextSweep)) {
                    announceLeftovers();
                    nextSweep = clock.instant().plusSeconds(5);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.warn("job runner: {}", e.toString());
                }
            }
        }
    }

    private void begin(Job j) {
        free.acquireUninterruptibly();
        if (j.runs() > MAX_RUNS) {
            end(j, new JobStore.Finish(Job.Status.FAILED, j.rowsRead(), 0, 0, 0, List.of(), null,
                    "the job was interrupted " + MAX_RUNS + " times (its node stopped or crashed) and is not started again",
                    null));
            return;
        }
        if (j.cancelRequested()) {
            end(j, new JobStore.Finish(Job.Status.CANCELLED, j.rowsRead(), 0, 0, 0, List.of(), null, "cancelled", null));
            return;
        }
        Optional<CsvFile> input = j.fileId() == null ? Optional.empty() : files.find(j.appId(), j.fileId());
        if (input.isEmpty() && j.inputUrl() == null) {
            end(j, new JobStore.Finish(Job.Status.FAILED, 0, 0, 0, 0, List.of(), null,
                    "the input file " + j.fileId() + " was deleted", null));
            return;
        }
        events.job(j); // job.started; its fixed eventId keeps a resumed job's to the first that got through
        AtomicBoolean cancel = new AtomicBoolean();
        JobRun run = new JobRun(j, input.orElse(null), files, ids, events, cancel::get);
        Thread t = Thread.ofPlatform().name("csvx-job-" + j.id()).daemon(true).unstarted(() -> {
            JobStore.Finish finish = input.isPresent() ? run.run() : fetchThenRun(j, run);
            Thread.interrupted(); // a cancellation's interrupt has done its work; recording the end must not see it
            running.remove(j.id());
            if (!halted) {
                end(j, finish);
            }
        });
        running.put(j.id(), new Running(j, run, t, cancel));
        t.start();
    }

    /// A job that starts from a URL: fetches the file (a `file.uploaded` of its own), records it
    /// as the job's input, then runs.
    private JobStore.Finish fetchThenRun(Job j, JobRun run) {
        CsvFile fetched;
        try {
            fetched = fetcher.fetch(j.appId(), j.inputUrl());
        } catch (IOException | RuntimeException e) {
            return new JobStore.Finish(Job.Status.FAILED, 0, 0, 0, 0, List.of(), null,
                    "fetching " + j.inputUrl() + ": " + e.getMessage(), e instanceof CsvFormatException f
                    && f.line() > 0 ? f.line() : null);
        }
        if (!jobs.fetched(j.id(), owner, fetched.id())) {
            return new JobStore.Finish(Job.Status.CANCELLED, 0, 0, 0, 0, List.of(), null, "lease lost", null);
        }
        arrived(List.of(fetched), null, null);
        return run.withInput(fetched).run();
    }

    /// Stores how the run ended (if this node still holds the job) and announces it.
    private void end(Job j, JobStore.Finish finish) {
        try {
            if (jobs.finish(j.id(), owner, finish, clock.instant())) {
                meters.counter("csvx.jobs", "status", finish.status().wire()).increment();
                if (finish.status() == Job.Status.FAILED) {
                    LOG.info("job {} failed: {}", j.id(), finish.error());
                }
                jobs.find(j.appId(), j.id()).ifPresent(this::announce);
            } else {
                LOG.warn("job {} finished here after its lease passed to another node; its result is dropped", j.id());
            }
        } catch (RuntimeException e) {
            LOG.warn("job {}: cannot record its end: {}", j.id(), e.toString());
        } finally {
            free.release();
            wakeUp();
        }
    }

    /// Publishes how the job ended, starts the pipelines chained on it and publishes the alerts it
    /// meets (its CSV outputs may be versions of datasets too), or tells the dataset how its diff
    /// ended; then marks it done.
    private void announce(Job j) {
        events.job(j);
        if (j.isDiff()) {
            versions.diffEnded(j, DiffSpec.of(j));
        } else {
            if (j.status() == Job.Status.COMPLETED) {
                // the outputs, read once for the chains and the datasets (which take the CSV ones)
                List<CsvFile> outputs = j.outputFileIds().stream().map(id -> files.find(j.appId(), id))
                        .flatMap(Optional::stream).toList();
                chains.follow(j, outputs);
                events.alerts(j);
                arrived(outputs.stream().filter(f -> Chains.chainable(f.format())).toList(), null, j.pipelineId());
            }
        }
        jobs.announced(j.id());
    }

    /// Jobs that ended without their event published: the node crashed in between.
    private void announceLeftovers() {
        for (Job j : jobs.unannounced(50)) {
            announce(j);
        }
    }

    /// Renews the lease of every job running here, saving its progress; stops those cancelled
    /// meanwhile (through another node's API) or lost.
    private void heartbeat() {
        Instant now = clock.instant();
        for (Running r : running.values()) {
            JobStore.Renewal renewal = jobs.renew(r.job().id(), owner, now.plus(lease), r.run().rowsRead(), now);
            if (renewal != JobStore.Renewal.HELD) {
                r.cancel().set(true);
                r.thread().interrupt();
            }
        }
    }

    /// Graceful stop: running jobs are stopped and handed back to the queue, to run again here
    /// after a restart or on another node.
    @Override
    public void close() {
        stopping = true;
        halted = true; // a stopped run must not record itself as cancelled
        if (poller != null) {
            poller.interrupt();
        }
        for (Running r : running.values()) {
            r.thread().interrupt();
        }
        for (Running r : running.values()) {
            try {
                r.thread().join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            jobs.release(r.job().id(), owner); // its next run clears what this one wrote
        }
    }

    /// Stops without recording anything, as a crash would; for tests.
    public void halt() {
        stopping = true;
        halted = true;
        if (poller != null) {
            poller.interrupt();
        }
        running.values().forEach(r -> r.thread().interrupt());
    }
}
