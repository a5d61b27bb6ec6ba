package io.csvx.tenant;

import java.time.Instant;
import java.util.Set;

/// A token that works for one application only, with the capabilities it was given. Its secret
/// text is never kept: the store knows it by its SHA-256.
///
/// @param sessionId what ends together at a logout, or null
/// @param revokedAt when it was logged out, or null
public record AppToken(String id, String appId, Set<Capability> capabilities, String sessionId, Instant expiresAt,
                       Instant revokedAt, Instant createdAt) {
    public AppToken {
        capabilities = Set.copyOf(capabilities);
    }

    public boolean validAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    public boolean can(Capability c) {
        return capabilities.contains(c);
    }

    // What the capabilities allow, in one place for the API and the portal pages alike.

    /// Reading the application's endpoints, messages and attempts (secrets aside).
    public boolean mayView() {
        return can(Capability.ViewBase);
    }

    /// Reading an endpoint's signing secret.
    public boolean mayReadSecrets() {
        return mayView() && (can(Capability.ViewEndpointSecret) || mayRotateSecrets());
    }

    /// Rotating an endpoint's signing secret.
    public boolean mayRotateSecrets() {
        return can(Capability.ManageEndpointSecret) || mayManageEndpoints();
    }

    /// Resending, recovering, replaying, sending examples.
    public boolean mayCreateAttempts() {
        return can(Capability.CreateAttempts);
    }

    /// Creating, changing and deleting endpoints and their headers.
    public boolean mayManageEndpoints() {
        return can(Capability.ManageEndpoint);
    }
}
