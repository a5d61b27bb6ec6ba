package io.csvx.message;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/// How many publishes of one application run at once on this node: at most `perApp`, the rest
/// wait in arrival order, so that an application publishing a flood holds only that share of
/// the node's request handling and its database writer, and another application's publish never
/// waits behind the flood's backlog. 0 means no limit. With `onlyWhenShared` the limit holds only
/// while the node is shared: another application published here within the last [#SHARED_FOR].
final class PublishTurns {
    static final Duration SHARED_FOR = Duration.ofSeconds(1);

    private final int perApp;
    private final boolean onlyWhenShared;
    private final Clock clock;
    /// Idle applications' turns go after a while; one evicted with publishes running only lets a
    /// few more in at once, once.
    private final Cache<String, Semaphore> turns = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000).build();
    // Which application published last, when, and until when the node counts as shared. Racing
    // updates only move the moment sharing starts or ends by a publish or two.
    private volatile String lastApp;
    private volatile long lastAt;
    private volatile long sharedUntil = Long.MIN_VALUE;

    PublishTurns(int perApp, boolean onlyWhenShared, Clock clock) {
        if (perApp < 0) {
            throw new IllegalArgumentException("publishes per application must be 0 (no limit) or more");
        }
        this.perApp = perApp;
        this.onlyWhenShared = onlyWhenShared;
        this.clock = clock;
    }

    /// Runs `publishing` in one of the turns of the application named `appKey`.
    void run(String appKey, Runnable publishing) {
        if (perApp == 0 || onlyWhenShared && !shared(appKey)) {
            publishing.run();
            return;
        }
        Semaphore turn = turns.get(appKey, k -> new Semaphore(perApp, true));
        try {
            turn.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to publish", e);
        }
        try {
            publishing.run();
        } finally {
            turn.release();
        }
    }

    /// Notes a publish of `appKey` now; true while two applications have published within
    /// [#SHARED_FOR] of each other and for [#SHARED_FOR] after.
    private boolean shared(String appKey) {
        long now = clock.millis();
        String last = lastApp;
        if (last != null && !last.equals(appKey) && now - lastAt < SHARED_FOR.toMillis()) {
            sharedUntil = now + SHARED_FOR.toMillis();
        }
        if (!appKey.equals(last)) {
            lastApp = appKey;
        }
        lastAt = now;
        return now < sharedUntil;
    }
}
