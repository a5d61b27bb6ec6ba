package io.csvx.source;

import java.time.Instant;

/// An application's receiving endpoint for other systems' webhooks.
///
/// @param verification how requests are authenticated, as JSON (`{"type": "github", "secret": …}`)
/// @param action       what a verified request does, as JSON (`{"type": "emit", "eventType": …}`)
/// @param dedup        how duplicates are recognised, as JSON, or null for the verification's default
public record Source(String id, String appId, String uid, String name, String verification, String action, String dedup,
                     Instant createdAt, Instant updatedAt) {
}
