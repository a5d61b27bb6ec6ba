package io.csvx.delivery;

import io.csvx.signing.Signer;
import io.csvx.store.Endpoint;
import io.csvx.store.EndpointStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// Endpoints with their decoded signing keys, kept briefly so a burst does not read them per delivery.
/// This node's API invalidates an entry on every change; the short TTL covers other nodes' changes.
final class EndpointCache {
    record Entry(Endpoint endpoint, List<byte[]> keys, Instant loadedAt) {
    }

    private final EndpointStore store;
    private final Duration ttl;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    EndpointCache(EndpointStore store, Duration ttl) {
        this.store = store;
        this.ttl = ttl;
    }

    Optional<Entry> get(String endpointId) {
        Instant now = Instant.now();
        Entry e = entries.get(endpointId);
        if (e != null && e.loadedAt().plus(ttl).isAfter(now)) {
            return Optional.of(e);
        }
        Optional<Endpoint> endpoint = store.byId(endpointId);
        if (endpoint.isEmpty()) {
            entries.remove(endpointId);
            return Optional.empty();
        }
        List<byte[]> keys = store.secrets(endpointId, now).stream().map(Signer::keyBytes).toList();
        Entry fresh = new Entry(endpoint.get(), keys, now);
        entries.put(endpointId, fresh);
        return Optional.of(fresh);
    }

    void invalidate(String endpointId) {
        entries.remove(endpointId);
    }
}
