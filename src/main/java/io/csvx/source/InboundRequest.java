package io.csvx.source;

import java.time.Instant;
import java.util.Map;

/// A request that reached a source, and what became of it.
///
/// @param body       the body as text (base64 when `bodyBase64`), or null when it became a file
/// @param bodyFile   the stored file a CSV body became, or null
/// @param status     `received` (being handled), `processed`, `duplicate`, `rejected` (not verified) or `failed`
/// @param outcome    what it triggered, as JSON (`{"messageId": …}`, `{"fileId": …, "jobIds": […]}`), or null
/// @param replayOf   the request this one replays, or null
public record InboundRequest(String id, String sourceId, String appId, Map<String, String> headers, String body,
                             boolean bodyBase64, String bodyFile, long size, boolean verified, String status,
                             String detail, String dedupKey, String outcome, String replayOf, Instant receivedAt) {
    public static final String RECEIVED = "received";
    public static final String PROCESSED = "processed";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";
    public static final String FAILED = "failed";

    public InboundRequest {
        headers = Map.copyOf(headers);
    }
}
