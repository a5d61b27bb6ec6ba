package io.csvx.message;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/// A published event. `payload` is the JSON text sent as the request body; `channels` route it to
/// endpoints, `tags` only label it for lists (both null when none); `deliverAt`, when set, is the
/// earliest time its deliveries are made (null: at once); `orderingKey`, when set, puts it in line
/// behind the earlier messages of that key at endpoints whose `ordering` is on.
public record Message(String id, String appId, String eventType, String eventId, List<String> channels,
                      List<String> tags, String payload, Instant timestamp, Instant expiresAt, Instant deliverAt,
                      String orderingKey) {

    /// What a channel may hold (as in Svix); without quotes or '%', so the store's match stays exact.
    public static final Pattern CHANNEL = Pattern.compile("^[a-zA-Z0-9\\-_.:+]+$");
    /// What a tag may hold: Svix's set without the backslash.
    public static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9\\-_./#]+$");
    /// The longest ordering key.
    public static final int MAX_ORDERING_KEY = 256;

    /// A message without an ordering key.
    public Message(String id, String appId, String eventType, String eventId, List<String> channels,
                   List<String> tags, String payload, Instant timestamp, Instant expiresAt, Instant deliverAt) {
        this(id, appId, eventType, eventId, channels, tags, payload, timestamp, expiresAt, deliverAt, null);
    }

    /// A message without tags, delivered at once.
    public Message(String id, String appId, String eventType, String eventId, List<String> channels, String payload,
                   Instant timestamp, Instant expiresAt) {
        this(id, appId, eventType, eventId, channels, null, payload, timestamp, expiresAt, null, null);
    }

    /// The same message in line behind the earlier ones of `key`.
    public Message withOrderingKey(String key) {
        return new Message(id, appId, eventType, eventId, channels, tags, payload, timestamp, expiresAt, deliverAt, key);
    }

    /// Why `key` cannot be an ordering key, or empty when it can: 1 to 256 characters, none of them
    /// a control character.
    public static java.util.Optional<String> orderingKeyProblem(String key) {
        if (key.isEmpty() || key.length() > MAX_ORDERING_KEY) {
            return java.util.Optional.of("must be 1 to " + MAX_ORDERING_KEY + " characters");
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            return java.util.Optional.of("must not hold control characters");
        }
        return java.util.Optional.empty();
    }

    /// Whether its deliveries must wait past `now`.
    public boolean deferred(Instant now) {
        return deliverAt != null && deliverAt.isAfter(now);
    }
}
