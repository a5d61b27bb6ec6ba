package io.csvx.delivery;

/// Told of what the delivery engine's outcomes mean for an operator, once they are recorded: the
/// operational webhooks report them. Called on the engine's recording path: an observer must
/// hand the work off and return at once.
public interface DeliveryObserver {
    /// The delivery failed this many attempts in a row ([#FAILING_AFTER]) and is retried.
    int FAILING_AFTER = 4;

    /// A delivery has failed [#FAILING_AFTER] attempts in a row; `eventId` is the message's, or null.
    void failing(Attempt last, String eventId);

    /// A delivery failed for good: its retries are spent, or the endpoint is gone.
    void exhausted(Attempt last, String eventId);

    /// A delivery that had been reported failing succeeded.
    void recovered(Attempt attempt, String eventId);

    /// The engine disabled an endpoint (it answered 410 Gone, or kept failing for too long).
    void endpointDisabled(String appId, String endpointId, String reason);
}
