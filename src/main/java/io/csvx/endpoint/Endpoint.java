package io.csvx.endpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/// A URL subscribed to an application's messages.
///
/// @param eventTypes null or empty means every event type
/// @param channels   null or empty means every message; otherwise a message must share a channel
/// @param headers    extra headers sent with every delivery
/// @param failingSince start of the current run of failed attempts, null while healthy
/// @param format     what the endpoint receives (`{"type": "xml"}`), or null for the payload as published;
///                   not changed after it is read
/// @param filter     a condition the message's payload must meet ([EndpointService#filterProblem]
///                   checks it), or null for every payload
/// @param ordering   whether messages with an ordering key arrive one at a time per key
public record Endpoint(String id, String appId, String uid, String url, String description, boolean disabled,
                       List<String> eventTypes, List<String> channels, Integer throttleRate, String metadata,
                       Map<String, String> headers, Instant failingSince, Instant createdAt, Instant updatedAt,
                       ObjectNode format, String filter, Ordering ordering) {

    public Endpoint {
        ordering = ordering == null ? Ordering.OFF : ordering;
    }

    /// An endpoint without a payload filter.
    public Endpoint(String id, String appId, String uid, String url, String description, boolean disabled,
                    List<String> eventTypes, List<String> channels, Integer throttleRate, String metadata,
                    Map<String, String> headers, Instant failingSince, Instant createdAt, Instant updatedAt,
                    ObjectNode format) {
        this(id, appId, uid, url, description, disabled, eventTypes, channels, throttleRate, metadata, headers,
                failingSince, createdAt, updatedAt, format, null, Ordering.OFF);
    }

    public Endpoint withFormat(ObjectNode f) {
        return new Endpoint(id, appId, uid, url, description, disabled, eventTypes, channels, throttleRate, metadata, headers,
                failingSince, createdAt, updatedAt, f, filter, ordering);
    }

    public Endpoint withFilter(String f) {
        return new Endpoint(id, appId, uid, url, description, disabled, eventTypes, channels, throttleRate, metadata, headers,
                failingSince, createdAt, updatedAt, format, f == null || f.isBlank() ? null : f.strip(), ordering);
    }

    public Endpoint withOrdering(Ordering o) {
        return new Endpoint(id, appId, uid, url, description, disabled, eventTypes, channels, throttleRate, metadata, headers,
                failingSince, createdAt, updatedAt, format, filter, o);
    }

    /// Whether a message of this type and these channels goes to this endpoint.
    public boolean accepts(String eventType, List<String> messageChannels) {
        return !disabled && wants(eventType, messageChannels);
    }

    /// Whether the endpoint's event type and channel filters let such a message through, enabled or not.
    public boolean wants(String eventType, List<String> messageChannels) {
        if (eventTypes != null && !eventTypes.isEmpty() && !eventTypes.contains(eventType)) {
            return false;
        }
        if (channels != null && !channels.isEmpty()) {
            if (messageChannels == null) {
                return false;
            }
            for (String c : messageChannels) {
                if (channels.contains(c)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }
}
