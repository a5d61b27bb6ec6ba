package io.csvx.delivery;

import io.csvx.config.Config;
import io.csvx.delivery.DeliveryQueue.Claimed;
import io.csvx.message.DeliveryEngine;
import io.csvx.message.Message;
import io.csvx.net.Failures;
import io.csvx.store.Ids;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Moves deliveries from the durable queue to the network.
///
/// Work arrives two ways: straight from a publish on this node (already leased to it), or by
/// polling the queue for due rows, which catches retries, resends and leases left by a node that
/// died. A node holds at most `concurrency` deliveries at once until their responses arrive, and
/// at most as many more whose outcomes wait to be written (a group commit away: counting those
/// with the requests left publishes in a burst unable to hand their deliveries over, so that
/// claims had to take them from the queue again). Each endpoint has a lane that lets
/// `endpointConcurrency` of them run; the rest wait in order without a thread. An endpoint holds
/// at most [#holdCap] (twice its lane, at most half the node): what it cannot send soon stays in
/// the durable queue, so a slow or dead endpoint never fills the node's room that the others
/// need. An application holds at most half the node, so that one whose endpoints are all slow
/// leaves room for the others; an endpoint of an application at its share may still hold
/// [#MIN_SHARE], so that its slow siblings cannot stop it. Claims skip endpoints that are full
/// (by their own cap or their application's) and take turns between the others; what a claim
/// still brings beyond those caps goes back to the queue. While publishes come, a claim takes at
/// most half the free room, so that they find room to hand their deliveries over rather than
/// leave them to the next claim (a lease, a claim's reads and a fetch each). A running delivery
/// gets a virtual thread until its request is sent; the response is handled on the HTTP client's
/// callback, and outcomes are written back in batches by the [Recorder]. Endpoints with a
/// `throttleRate` wait for their [Throttle] slot.
public final class Dispatcher implements DeliveryEngine, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int CLAIM_BATCH = 512;

    private final DeliveryQueue queue;
    private final Config config;
    private final Clock clock;
    private final String owner;
    private final Sender sender;
    private final Recorder recorder;
    private final Throttle throttle = new Throttle(System::nanoTime);
    private final EndpointDirectory endpoints;
    private final int maxInFlight;
    /// The most deliveries one endpoint holds on this node: running, waiting in its lane, or
    /// reserved by a publish.
    private final int holdCap;
    /// The most a claim takes of one endpoint: an endpoint is claimed for only when it has this
    /// much room.
    private final int perClaim;
    /// The most deliveries of one application's endpoints a node holds, but for [#MIN_SHARE].
    private final int appCap;
    /// What an endpoint may hold even when its application holds its whole share.
    static final int MIN_SHARE = 2;
    /// The application of endpoints this node held deliveries of lately: only those holding some
    /// are asked for, so an endpoint idle for a while may go.
    private final com.github.benmanes.caffeine.cache.Cache<String, String> appOf =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000)
                    .expireAfterAccess(java.time.Duration.ofMinutes(10)).build();
    /// What each application holds on this node, as [#holdCap] counts for an endpoint; an
    /// application holding nothing has no entry. Changed only through [#appHolds].
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> appHeld =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /// Deliveries answered whose outcomes the recorder has not written yet; at most `maxInFlight`.
    private final AtomicInteger unwritten = new AtomicInteger();
    private final Lanes<Held> lanes;
    /// Endpoints that may have more due in the queue than this node holds of them (a claim took
    /// their whole share, or a publish left their delivery in the queue): when one has room for a
    /// share again, the poller claims at once instead of at its next poll.
    private final java.util.Set<String> hungry = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition roomFreed = lock.newCondition();
    private final List<Claimed> released = new ArrayList<>();
    private final Timer latency;
    /// Deliveries started straight from a publish, and those taken from the queue by a claim.
    private final Counter fromPublish;
    private final Counter fromQueue;
    /// A publish asked for room since the last claim that found due rows: the next claim takes
    /// at most half the free room and leaves the rest to the publishes still coming. Set by
    /// publishes, cleared by the poller; a lost update costs one claim its half.
    private volatile boolean publishing;
    private volatile boolean running;
    private volatile boolean halted;
    private boolean signalled;
    private Thread poller;

    public Dispatcher(DeliveryQueue queue, Config config, Ids ids, String node,
                      HttpClient client, RetryPolicy retryPolicy, EndpointDirectory endpoints, Clock clock,
                      MeterRegistry meters) {
        this.queue = queue;
        this.config = config;
        this.clock = clock;
        this.owner = node;
        this.sender = new Sender(client, config.requestTimeout());
        this.endpoints = endpoints;
        this.maxInFlight = config.concurrency();
        this.lanes = new Lanes<>(config.endpointConcurrency());
        this.holdCap = Math.max(1, Math.min(2 * config.endpointConcurrency(), maxInFlight / 2));
        this.perClaim = Math.max(1, Math.min(config.endpointConcurrency(), holdCap / 2));
        this.appCap = Math.max(1, maxInFlight / 2);
        this.recorder = new Recorder(queue, endpoints, retryPolicy, config.disableAfter(), ids, clock,
                meters, this::written, this::wakeUp);
        this.latency = Timer.builder("csvx.attempt.latency").publishPercentileHistogram().register(meters);
        this.fromPublish = Counter.builder("csvx.dispatched").tag("from", "publish")
                .description("Deliveries started straight from a publish on this node").register(meters);
        this.fromQueue = Counter.builder("csvx.dispatched").tag("from", "queue")
                .description("Deliveries started from a claim of due rows in the queue").register(meters);
    }

    @Override
    public String owner() {
        return owner;
    }

    public void start() {
        running = true;
        poller = Thread.ofPlatform().name("csvx-dispatch-poller").daemon(true).start(this::pollLoop);
        recorder.start();
    }

    @Override
    public List<String> reserve(String appId, List<String> endpointIds) {
        List<String> taken = new ArrayList<>(endpointIds.size());
        if (!publishing) {
            publishing = true;
        }
        for (String endpointId : endpointIds) {
            appOf.get(endpointId, k -> appId);
            if (take(1, 1) == 0) {
                break; // the node is full
            }
            if (!appHasRoom(appId, endpointId) || !lanes.reserve(endpointId, holdCap)) {
                finished(1); // the endpoint or its application holds enough; this one waits in the queue
                hungry.add(endpointId);
                continue;
            }
            appHolds(appId, 1);
            taken.add(endpointId);
        }
        return taken;
    }

    @Override
    public void queued(List<String> endpointIds) {
        for (String endpointId : endpointIds) {
            if (!hungry.contains(endpointId)) {
                wakeUp(); // left for want of room on the node, or ordered: the queue has it now
                return;
            }
        }
        // every one waits for its endpoint or application to have room, which wakes the poller
    }

    @Override
    public void release(String appId, List<String> endpointIds) {
        for (String endpointId : endpointIds) {
            lanes.unreserve(endpointId);
        }
        appHolds(appId, -endpointIds.size());
        finished(endpointIds.size());
    }

    /// The endpoints a claim skips: those without room for a share of their own, and those
    /// holding [#MIN_SHARE] or more of an application that holds its whole share.
    private List<String> full() {
        List<String> full = lanes.holdingMoreThan(holdCap - perClaim);
        List<String> fullApps = new ArrayList<>();
        appHeld.forEach((app, held) -> {
            if (held.get() >= appCap) {
                fullApps.add(app);
            }
        });
        if (!fullApps.isEmpty()) {
            for (String endpointId : lanes.holdingMoreThan(MIN_SHARE - 1)) {
                if (fullApps.contains(appOf.getIfPresent(endpointId)) && !full.contains(endpointId)) {
                    full.add(endpointId);
                }
            }
        }
        return full;
    }

    /// True unless the application holds its whole share and the endpoint [#MIN_SHARE] already.
    private boolean appHasRoom(String appId, String endpointId) {
        return appHolds(appId, 0) < appCap || lanes.held(endpointId) < MIN_SHARE;
    }

    /// How many applications hold deliveries on this node (for tests: those holding none have no entry).
    int applicationsHolding() {
        return appHeld.size();
    }

    /// What the application holds on this node (for tests).
    int holding(String appId) {
        return appHolds(appId, 0);
    }

    /// Adds `change` to what `appId` holds on this node and answers the new count; the entry goes
    /// at zero. Every change goes through `compute`, so a count is never lost to a removal.
    private int appHolds(String appId, int change) {
        if (change == 0) {
            AtomicInteger held = appHeld.get(appId);
            return held == null ? 0 : held.get();
        }
        int[] now = new int[1];
        appHeld.compute(appId, (k, held) -> {
            int n = (held == null ? 0 : held.get()) + change;
            now[0] = n;
            if (n == 0) {
                return null;
            }
            if (held == null) {
                return new AtomicInteger(n);
            }
            held.set(n);
            return held;
        });
        return now[0];
    }

    @Override
    public void submit(Message message, List<String> endpointIds, Instant leaseUntil) {
        for (String endpointId : endpointIds) {
            launch(new Claimed(message, endpointId, 0, 0), leaseUntil, true); // in the room reserve() took
        }
    }

    /// Takes between `least` and `most` in-flight slots, as many as are free, atomically (publishes
    /// and the poller take room concurrently): answers how many, 0 when fewer than `least` are free.
    private int take(int least, int most) {
        while (running) {
            if (unwritten.get() >= maxInFlight) {
                return 0; // the database is behind: no more sending until outcomes are written
            }
            int now = inFlight.get();
            int n = Math.min(most, maxInFlight - now);
            if (n < least || n <= 0) {
                return 0;
            }
            if (inFlight.compareAndSet(now, now + n)) {
                return n;
            }
        }
        return 0;
    }

    /// Adds an observer of recorded outcomes.
    public void observe(DeliveryObserver observer) {
        recorder.observe(observer);
    }

    @Override
    public void wakeUp() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void pollLoop() {
        while (running) {
            int wanted = take(1, claimRoom());
            int got = 0; // rows the claim answered
            int claimed = 0; // of those, the ones this node keeps
            try {
                if (wanted > 0) {
                    Instant now = clock.instant();
                    Instant leaseUntil = now.plus(config.lease());
                    // endpoints without room for a whole claim's share sit this one out
                    List<String> full = full();
                    hungry.addAll(full);
                    List<Claimed> due = queue.claim(owner, now, leaseUntil, wanted, perClaim, full);
                    got = due.size();
                    if (got > 0) {
                        publishing = false;
                    }
                    // The claim picks rows, not applications: several endpoints of one application
                    // that is short of its share may together bring far more than the rest of it
                    // (the whole node, so that another application's publishes found no room until
                    // those requests timed out). What an application or endpoint cannot hold goes
                    // back to the queue, due now.
                    List<Claimed> over = new ArrayList<>();
                    java.util.Map<String, Integer> perEndpoint = new java.util.HashMap<>();
                    for (Claimed c : due) {
                        String appId = c.message().appId();
                        appOf.get(c.endpointId(), k -> appId);
                        if (!appHasRoom(appId, c.endpointId()) || lanes.held(c.endpointId()) >= holdCap) {
                            over.add(c);
                            hungry.add(c.endpointId());
                            continue;
                        }
                        appHolds(appId, 1);
                        claimed++;
                        if (perEndpoint.merge(c.endpointId(), 1, Integer::sum) == perClaim) {
                            hungry.add(c.endpointId()); // its whole share: more may be due
                        }
                        launch(c, leaseUntil, false);
                    }
                    if (!over.isEmpty()) {
                        queue.release(owner, over, now);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("claiming due deliveries failed: {}", e.toString());
            } finally {
                if (claimed < wanted) {
                    finished(wanted - claimed); // the room taken and not filled
                }
            }
            if (wanted > 0 && got < wanted) {
                awaitSignal(config.pollInterval()); // nothing more is due: sleep until signalled or the next poll
            } else {
                awaitRoom(); // more may be due: claim again as soon as half the in-flight room is free
            }
        }
    }

    /// The most room the next claim takes: a whole batch, or half the free room while publishes
    /// come. A delivery a publish hands over costs no lease, claim or fetch; a claim holds the room
    /// it takes through its round trips, and publishes that found none left their deliveries to
    /// the next claim (a quarter of a SQLite burst's deliveries, two thirds of PostgreSQL's).
    private int claimRoom() {
        return publishing ? Math.max(1, Math.min(CLAIM_BATCH, (maxInFlight - inFlight.get()) / 2)) : CLAIM_BATCH;
    }

    private void awaitRoom() {
        lock.lock();
        try {
            while (running && (inFlight.get() > maxInFlight / 2 || unwritten.get() >= maxInFlight)) {
                roomFreed.await(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void finished(int count) {
        int now = inFlight.addAndGet(-count);
        if (now <= maxInFlight / 2 && now + count > maxInFlight / 2) {
            lock.lock();
            try {
                roomFreed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /// The recorder wrote (or failed to write) `count` outcomes.
    private void written(int count) {
        int now = unwritten.addAndGet(-count);
        if (now < maxInFlight && now + count >= maxInFlight) {
            lock.lock();
            try {
                roomFreed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void awaitSignal(Duration max) {
        lock.lock();
        try {
            if (!signalled && running) {
                wake.await(max.toMillis(), TimeUnit.MILLISECONDS);
            }
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /// A claimed delivery and the end of its lease: past it, the row may be claimed again, so
    /// this node must not send it any more.
    private record Held(Claimed claimed, Instant leaseUntil) {
    }

    /// Sends a delivery whose in-flight slot is taken already (and its place in its lane, when `reserved`).
    private void launch(Claimed c, Instant leaseUntil, boolean reserved) {
        Held h = new Held(c, leaseUntil);
        (reserved ? fromPublish : fromQueue).increment();
        if (lanes.enter(c.endpointId(), h, reserved)) {
            Thread.ofVirtual().name("csvx-delivery").start(() -> attempt(h));
        }
    }

    /// Runs on a virtual thread once the endpoint's lane has room; returns as soon as the request
    /// is sent. The response is handled on the HTTP client's callback, which also starts the next
    /// delivery waiting in the lane.
    private void attempt(Held h) {
        Claimed c = h.claimed();
        boolean sent = false;
        try {
            // A request may take the whole timeout: start it only with that much lease left.
            if (clock.instant().plus(config.requestTimeout()).isAfter(h.leaseUntil())) {
                LOG.debug("lease of {} to {} ran out while it waited for its endpoint; the queue has it again",
                        c.message().id(), c.endpointId());
                return;
            }
            sent = send(h);
        } catch (RuntimeException e) {
            LOG.error("delivery of {} to {} failed unexpectedly", c.message().id(), c.endpointId(), e);
            release(c);
        } finally {
            if (!sent) {
                done(c, 1);
            }
        }
    }

    private boolean send(Held h) {
        Claimed c = h.claimed();
        if (!running) {
            release(c);
            return false;
        }
        var entry = endpoints.get(c.endpointId());
        if (entry.isEmpty()) {
            return false; // endpoint deleted: its deliveries went with it
        }
        var endpoint = entry.get().endpoint();
        if (endpoint.disabled()) {
            release(c);
            return false;
        }
        if (!throttle(h, endpoint.throttleRate())) {
            return false; // handed back to the queue, due at its slot
        }
        Message m = c.message();
        OutgoingFormat.Rendered body = entry.get().format().render(m.id(), m.eventType(), m.payload());
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        sender.send(new Sender.Signed(endpoint.url(), m.id(), started.getEpochSecond(), body.body(), body.contentType(),
                entry.get().keys(), endpoint.headers())).whenComplete((response, error) -> {
                    long nanos = System.nanoTime() - t0;
                    latency.record(nanos, TimeUnit.NANOSECONDS);
                    if (halted) {
                        return;
                    }
                    AttemptResult.Response r = error == null ? response
                            : new AttemptResult.Response(0, "", Failures.describe(error), null);
                    unwritten.incrementAndGet(); // before the recorder may write it
                    try {
                        recorder.record(c, endpoint.url(), r, started, nanos);
                    } catch (RuntimeException e) {
                        written(1); // not queued: its lease runs out and the delivery repeats
                        LOG.error("recording the attempt of {} to {} failed", c.message().id(), c.endpointId(), e);
                    }
                    done(c, 1);
                });
        return true;
    }

    /// Frees the delivery's place in its lane (and `slots` in-flight slots) and starts the next one waiting.
    private void done(Claimed c, int slots) {
        if (slots > 0) {
            finished(slots);
        }
        int app = appHolds(c.message().appId(), -1);
        Held next = lanes.leave(c.endpointId());
        if (next != null) {
            Thread.ofVirtual().name("csvx-delivery").start(() -> attempt(next));
        }
        if (hungry.contains(c.endpointId()) && lanes.held(c.endpointId()) <= holdCap - perClaim
                && hungry.remove(c.endpointId())) {
            wakeUp(); // the endpoint has room for a share again, and its queue may hold more
        } else if (app == appCap - 1) {
            wakeUp(); // the application was full: its queued work may be claimed again
        }
    }

    /// Waits for the endpoint's next rate slot; false when after that wait too little of the lease
    /// would be left for a whole request, in which case the delivery goes back to the queue due at that slot.
    private boolean throttle(Held h, Integer ratePerSecond) {
        if (ratePerSecond == null || ratePerSecond <= 0) {
            return true;
        }
        Claimed c = h.claimed();
        long wait = throttle.reserve(c.endpointId(), ratePerSecond);
        Instant sendAt = clock.instant().plusNanos(wait);
        if (sendAt.plus(config.requestTimeout()).isAfter(h.leaseUntil())) {
            queue.release(owner, List.of(c), sendAt);
            return false;
        }
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    private void release(Claimed c) {
        lock.lock();
        try {
            released.add(c);
        } finally {
            lock.unlock();
        }
        if (running) {
            flushReleased();
        }
    }

    private void flushReleased() {
        List<Claimed> batch;
        lock.lock();
        try {
            batch = new ArrayList<>(released);
            released.clear();
        } finally {
            lock.unlock();
        }
        if (!batch.isEmpty() && !halted) {
            queue.release(owner, batch, clock.instant());
        }
    }

    /// Deliveries held and not yet answered, and those answered whose outcomes are not written yet.
    public int inFlight() {
        return inFlight.get() + unwritten.get();
    }

    /// Graceful stop: no new claims, let requests in flight finish, hand back the rest.
    @Override
    public void close() {
        running = false;
        wakeUp();
        long deadline = System.nanoTime() + config.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) { // requests; the recorder writes the rest
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        recorder.close();
        flushReleased();
        joinPoller();
    }

    /// Stops at once without recording or releasing anything, as a crash would; for tests.
    public void halt() {
        halted = true;
        running = false;
        recorder.halt();
        wakeUp();
        joinPoller();
    }

    private void joinPoller() {
        if (poller != null) {
            try {
                poller.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
