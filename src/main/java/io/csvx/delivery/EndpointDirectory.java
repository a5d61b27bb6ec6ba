package io.csvx.delivery;

import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointService;
import io.csvx.signing.Signer;
import io.csvx.store.TtlCache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Endpoints as delivery needs them, kept briefly so a burst does not read them per message: each
/// with its decoded signing keys and its parsed outgoing format. [EndpointService] tells it of
/// every change this node makes; see [TtlCache] for the rest.
public final class EndpointDirectory {
    /// An endpoint, the keys that sign for it now, and what it receives.
    record Keyed(Endpoint endpoint, List<Signer.Key> keys, OutgoingFormat format) {
    }

    private final EndpointService endpoints;
    private final TtlCache<String, Keyed> byId;

    public EndpointDirectory(EndpointService endpoints, Duration ttl) {
        this.endpoints = endpoints;
        this.byId = new TtlCache<>(ttl);
    }

    Optional<Keyed> get(String endpointId) {
        return byId.get(endpointId, id -> endpoints.byId(id).map(e -> new Keyed(e, endpoints.secrets(id, Instant.now())
                .stream().map(secret -> new Signer.Key(Signer.keyBytes(secret))).toList(), OutgoingFormat.of(e.format()))));
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
            byId.invalidateIf(k -> k.endpoint().appId().equals(appId));
        }
    }
}
