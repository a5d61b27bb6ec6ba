package io.csvx.delivery;

import io.csvx.signing.Signer;
import io.csvx.store.Endpoint;
import io.csvx.store.EndpointStore;
import io.csvx.store.TtlCache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Endpoints as publishing and delivery need them, kept briefly so a burst does not read
/// them per message: each application's list, and each endpoint with its decoded signing keys.
/// This node's API invalidates on every change; see [TtlCache] for the rest.
public final class EndpointDirectory {
    /// An endpoint, the keys that sign for it now, and what it receives.
    record Keyed(Endpoint endpoint, List<Signer.Key> keys, OutgoingFormat format) {
    }

    private final EndpointStore store;
    private final TtlCache<String, List<Endpoint>> byApp;
    private final TtlCache<String, Keyed> byId;

    public EndpointDirectory(EndpointStore store, Duration ttl) {
        this.store = store;
        this.byApp = new TtlCache<>(ttl);
        this.byId = new TtlCache<>(ttl);
    }

    /// Every endpoint of the application, disabled ones included.
    List<Endpoint> forApp(String appId) {
        return byApp.get(appId, id -> Optional.of(store.all(id))).orElseThrow();
    }

    Optional<Keyed> get(String endpointId) {
        return byId.get(endpointId, id -> store.byId(id).map(e -> new Keyed(e, store.secrets(id, Instant.now()).stream()
                .map(secret -> new Signer.Key(Signer.keyBytes(secret))).toList(), OutgoingFormat.of(e.format()))));
    }

    /// Forgets what is cached for the endpoint and its application.
    public void invalidate(String appId, String endpointId) {
        byApp.invalidate(appId);
        if (endpointId != null) {
            byId.invalidate(endpointId);
        }
    }
}
