package io.csvx.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/// An application's receiving endpoint for other systems' webhooks. The JSON parts are read by the
/// store as trees and are not changed after; whoever needs to change one works on a copy.
///
/// @param verification how requests are authenticated (`{"type": "github", "secret": …}`)
/// @param action       what a verified request does (`{"type": "emit", "eventType": …}`)
/// @param dedup        how duplicates are recognised, or null for the verification's default
public record Source(String id, String appId, String uid, String name, ObjectNode verification, ObjectNode action,
                     ObjectNode dedup, Instant createdAt, Instant updatedAt) {
}
