package io.csvx.tenant;

import java.time.Instant;

/// A tenant whose endpoints receive messages. `metadata` is a JSON object as text.
public record Application(String id, String uid, String name, Integer throttleRate, String metadata,
                          Instant createdAt, Instant updatedAt) {
}
