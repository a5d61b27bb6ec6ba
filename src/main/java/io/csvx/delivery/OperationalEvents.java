package io.csvx.delivery;

import java.time.Instant;

/// Events about the installation itself, such as `endpoint.disabled`, kept for the retention
/// period like attempts.
public interface OperationalEvents {
    void record(String type, String appId, String endpointId, String dataJson);

    /// Removes events recorded before `before` (retention); returns how many.
    int purge(Instant before);
}
