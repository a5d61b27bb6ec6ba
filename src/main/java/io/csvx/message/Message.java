package io.csvx.message;

import java.time.Instant;
import java.util.List;

/// A published event. `payload` is the JSON text sent as the request body.
public record Message(String id, String appId, String eventType, String eventId, List<String> channels,
                      String payload, Instant timestamp, Instant expiresAt) {
}
