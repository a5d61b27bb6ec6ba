package io.csvx.delivery;

import com.github.benmanes.caffeine.cache.LoadingCache;
import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.signing.Signer;
import io.csvx.store.ReadCache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Endpoints as delivery needs them, kept briefly so a burst does not read them per message: each
/// with its decoded signing keys and its parsed outgoing format. [EndpointService] tells it of
/// every change this node makes; another node's change is seen here once the entry expires.
public final class EndpointDirectory {
    /// An endpoint, the keys that sign for it now, and what it receives.
    record Keyed(Endpoint endpoint, List<Signer.Key> keys, OutgoingFormat format) {
    }

    private final EndpointService endpoints;
    private final LoadingCache<String, Keyed> byId;

    public EndpointDirectory(EndpointService endpoints, Duration ttl) {
        this.endpoints = endpoints;
        this.byId = ReadCache.of(ttl, 10_000, id -> endpoints.byId(id).map(e -> new Keyed(e,
                endpoints.secrets(id, Instant.now()).stream().map(secret -> new Signer.Key(Signer.keyBytes(secret)))
                        .toList(), OutgoingFormat.parse(e.format()))).orElse(null));
    }

    Optional<Keyed> get(String endpointId) {
        return Optional.ofNullable(byId.get(endpointId));
    }

    /// The engine disabled the endpoint: every cache of it must hear.
    void disabled(String appId, String endpointId) {
        endpoints.changedElsewhere(appId, endpointId);
    }

    /// Forgets what is cached for the endpoint (all of them when `endpointId` is null, the
    /// application's having changed).
    public void invalidate(String appId, String endpointId) {
        if (endpointId != null) {
            byId.invalidate(endpointId);
        } else {
            byId.asMap().values().removeIf(k -> k.endpoint().appId().equals(appId));
        }
    }
}
