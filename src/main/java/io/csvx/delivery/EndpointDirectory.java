package io.csvx.delivery;

import io.csvx.signing.Signer;
import io.csvx.store.Endpoint;
import io.csvx.store.EndpointStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/// Endpoints as publishing and delivery need them, kept briefly so a burst does not read
/// them per message: each application's list, and each endpoint with its decoded signing keys.
///
/// This node's API invalidates on every change; the short TTL bounds how long a change made
/// on another node takes to be seen. A generation counter keeps a load that raced with an
/// invalidation from putting stale data back.
public final class EndpointDirectory {
    /// An endpoint and the keys that sign for it now.
    record Keyed(Endpoint endpoint, List<Signer.Key> keys) {
    }

    private record Timed<T>(T value, long loadedAt) {
    }

    private final EndpointStore store;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Timed<List<Endpoint>>> byApp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timed<Keyed>> byId = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public EndpointDirectory(EndpointStore store, Duration ttl) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
    }

    /// Every endpoint of the application, disabled ones included.
    List<Endpoint> forApp(String appId) {
        Timed<List<Endpoint>> cached = byApp.get(appId);
        if (fresh(cached)) {
            return cached.value();
        }
        long gen = generation.get();
        List<Endpoint> loaded = store.all(appId);
        putIfCurrent(byApp, appId, new Timed<>(loaded, System.nanoTime()), gen);
        return loaded;
    }

    Optional<Keyed> get(String endpointId) {
        Timed<Keyed> cached = byId.get(endpointId);
        if (fresh(cached)) {
            return Optional.of(cached.value());
        }
        long gen = generation.get();
        Optional<Endpoint> endpoint = store.byId(endpointId);
        if (endpoint.isEmpty()) {
            byId.remove(endpointId);
            return Optional.empty();
        }
        List<Signer.Key> keys = store.secrets(endpointId, Instant.now()).stream()
                .map(secret -> new Signer.Key(Signer.keyBytes(secret))).toList();
        Keyed keyed = new Keyed(endpoint.get(), keys);
        putIfCurrent(byId, endpointId, new Timed<>(keyed, System.nanoTime()), gen);
        return Optional.of(keyed);
    }

    /// Forgets what is cached for the endpoint and its application.
    public void invalidate(String appId, String endpointId) {
        generation.incrementAndGet();
        byApp.remove(appId);
        if (endpointId != null) {
            byId.remove(endpointId);
        }
    }

    private boolean fresh(Timed<?> t) {
        return t != null && System.nanoTime() - t.loadedAt() < ttlNanos;
    }

    private <T> void putIfCurrent(ConcurrentHashMap<String, Timed<T>> map, String key, Timed<T> value, long gen) {
        map.put(key, value);
        if (generation.get() != gen) {
            map.remove(key, value); // an invalidation ran while loading: what was loaded may be stale
        }
    }
}
