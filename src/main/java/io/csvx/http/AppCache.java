package io.csvx.http;

import io.csvx.store.AppStore;
import io.csvx.store.Application;
import io.csvx.store.TtlCache;
import java.time.Duration;
import java.util.Optional;

/// Applications by id or uid for the publish path, kept for a second and dropped on every change
/// this node makes.
final class AppCache {
    private final AppStore store;
    private final TtlCache<String, Application> byKey;

    AppCache(AppStore store, Duration ttl) {
        this.store = store;
        this.byKey = new TtlCache<>(ttl);
    }

    Optional<Application> find(String idOrUid) {
        return byKey.get(idOrUid, store::find);
    }

    void forget(String appId) {
        byKey.invalidateIf(app -> app.id().equals(appId));
    }
}
