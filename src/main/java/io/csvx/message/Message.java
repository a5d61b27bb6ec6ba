package io.csvx.message;

import java.time.Instant;
import java.util.List;

/// A published event. `payload` is the JSON text sent as the request body; `channels` route it to
/// endpoints, `tags` only label it for lists (both null when none).
public record Message(String id, String appId, String eventType, String eventId, List<String> channels,
                      List<String> tags, String payload, Instant timestamp, Instant expiresAt) {

    /// A message without tags.
    public Message(String id, String appId, String eventType, String eventId, List<String> channels, String payload,
                   Instant timestamp, Instant expiresAt) {
        this(id, appId, eventType, eventId, channels, null, payload, timestamp, expiresAt);
    }
}
