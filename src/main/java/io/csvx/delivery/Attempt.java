package io.csvx.delivery;

import java.time.Instant;

/// One HTTP attempt to deliver a message to an endpoint, as recorded.
///
/// @param status      Svix MessageStatus: 0 success, 2 fail
/// @param statusCode  HTTP status, 0 when no response arrived
/// @param response    the first 4 KiB of the response body
/// @param triggerType 0 scheduled, 1 manual
public record Attempt(String id, String msgId, String endpointId, String appId, String url, int status,
                      int statusCode, String response, long durationMs, String error, int triggerType,
                      Instant timestamp) {
    /// The prefix of every attempt's id. Ids are made just after the attempt they name (so they
    /// sort after its start): the health of endpoints finds recent attempts by them.
    public static final String ID_PREFIX = "atmpt_";
}
