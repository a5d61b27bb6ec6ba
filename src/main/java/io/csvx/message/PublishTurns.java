package io.csvx.message;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/// How many publishes of one application run at once on this node: at most `perApp`, the rest
/// wait in arrival order, so that an application publishing a flood holds only that share of
/// the node's request handling and its database writer, and another application's publish never
/// waits behind the flood's backlog. 0 means no limit.
final class PublishTurns {
    private final int perApp;
    /// Idle applications' turns go after a while; one evicted with publishes running only lets a
    /// few more in at once, once.
    private final Cache<String, Semaphore> turns = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000).build();

    PublishTurns(int perApp) {
        if (perApp < 0) {
            throw new IllegalArgumentException("publishes per application must be 0 (no limit) or more");
        }
        this.perApp = perApp;
    }

    /// Runs `publishing` in one of the turns of the application named `appKey`.
    void run(String appKey, Runnable publishing) {
        if (perApp == 0) {
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
}
