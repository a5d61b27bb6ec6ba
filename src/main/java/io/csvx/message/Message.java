package io.csvx.message;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/// A published event. `payload` is the JSON text sent as the request body; `channels` route it to
/// endpoints, `tags` only label it for lists (both null when none); `deliverAt`, when set, is the
/// earliest time its deliveries are made (null: at once).
public record Message(String id, String appId, String eventType, String eventId, List<String> channels,
                      List<String> tags, String payload, Instant timestamp, Instant expiresAt, Instant deliverAt) {

    /// What a channel may hold (as in Svix); without quotes or '%', so the store's match stays exact.
    public static final Pattern CHANNEL = Pattern.compile("^[a-zA-Z0-9\\-_.:+]+$");
    /// What a tag may hold: Svix's set without the backslash.
    public static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9\\-_./#]+$");

    /// A message without tags, delivered at once.
    public Message(String id, String appId, String eventType, String eventId, List<String> channels, String payload,
                   Instant timestamp, Instant expiresAt) {
        this(id, appId, eventType, eventId, channels, null, payload, timestamp, expiresAt, null);
    }

    /// Whether its deliveries must wait past `now`.
    public boolean deferred(Instant now) {
        return deliverAt != null && deliverAt.isAfter(now);
    }
}
