package io.csvx.message;

import java.time.Instant;

/// A named kind of message, with optional JSON schemas (as text).
public record EventType(String name, String description, boolean archived, boolean deprecated, String featureFlag,
                        String schemas, Instant createdAt, Instant updatedAt) {
}
