package io.csvx.source;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/// A request that reached a source, and what became of it.
///
/// @param body       the body as text (base64 when `bodyBase64`), or null when it became a file
/// @param bodyFile   the stored file a CSV body became, or null
/// @param status     where its handling stands
/// @param outcome    what it triggered, as JSON (`{"messageId": …}`, `{"fileId": …, "jobIds": […]}`), or null
/// @param replayOf   the request this one replays, or null
public record InboundRequest(String id, String sourceId, String appId, Map<String, String> headers, String body,
                             boolean bodyBase64, String bodyFile, long size, boolean verified, Status status,
                             String detail, String dedupKey, String outcome, String replayOf, Instant receivedAt) {
    /// What became of a request; [#wire] is how the API and the store spell it.
    public enum Status {
        /// Verified and stored; its action is running.
        RECEIVED,
        /// Its action ran.
        PROCESSED,
        /// A repeat of a processed request: nothing ran again.
        DUPLICATE,
        /// Not verified: nothing ran.
        REJECTED,
        /// Verified, but its action could not use it.
        FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    public InboundRequest {
        headers = Map.copyOf(headers);
    }
}
