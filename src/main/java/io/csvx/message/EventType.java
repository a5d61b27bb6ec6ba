package io.csvx.message;

import java.time.Instant;
import java.util.List;

/// A named kind of message, with optional JSON schemas (as text), feature flags (null when none)
/// and a group name for catalogues.
public record EventType(String name, String description, boolean archived, boolean deprecated,
                        List<String> featureFlags, String groupName, String schemas, Instant createdAt,
                        Instant updatedAt) {

    /// The same event type without its schemas, for lists that leave them out.
    public EventType withoutSchemas() {
        return new EventType(name, description, archived, deprecated, featureFlags, groupName, null, createdAt,
                updatedAt);
    }

    /// The first feature flag (what Svix's older `featureFlag` field carries), or null.
    public String featureFlag() {
        return featureFlags == null || featureFlags.isEmpty() ? null : featureFlags.getFirst();
    }
}
