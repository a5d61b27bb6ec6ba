package io.csvx.web;

import io.csvx.store.AppStore;
import io.csvx.store.Application;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// Applications by id or uid for the publish path, kept for a second. This node's API drops an
/// application on every change; the TTL bounds how long another node's change takes to be seen.
final class AppCache {
    private record Timed(Application app, long loadedAt) {
    }

    private final AppStore store;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Timed> byKey = new ConcurrentHashMap<>();

    AppCache(AppStore store, Duration ttl) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
    }

    Optional<Application> find(String idOrUid) {
        Timed t = byKey.get(idOrUid);
        if (t != null && System.nanoTime() - t.loadedAt() < ttlNanos) {
            return Optional.of(t.app());
        }
        Optional<Application> app = store.find(idOrUid);
        app.ifPresentOrElse(a -> byKey.put(idOrUid, new Timed(a, System.nanoTime())), () -> byKey.remove(idOrUid));
        return app;
    }

    void forget(String appId) {
        byKey.values().removeIf(t -> t.app().id().equals(appId));
    }
}
