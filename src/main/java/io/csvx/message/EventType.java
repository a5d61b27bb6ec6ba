package io.csvx.message;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/// A named kind of message, with optional JSON schemas (as text), feature flags (null when none)
/// and a group name for catalogues.
public record EventType(String name, String description, boolean archived, boolean deprecated,
                        List<String> featureFlags, String groupName, String schemas, Instant createdAt,
                        Instant updatedAt) {
    /// What an event type's name may hold (as in Svix), up to [#MAX_NAME] characters.
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9\\-_.]+$");
    public static final int MAX_NAME = 256;

    /// Whether `name` may name an event type.
    public static boolean isName(String name) {
        return name != null && name.length() <= MAX_NAME && NAME.matcher(name).matches();
    }

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
