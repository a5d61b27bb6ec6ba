package io.csvx.delivery;

/// Events about the installation itself, such as `endpoint.disabled`.
public interface OperationalEvents {
    void record(String type, String appId, String endpointId, String dataJson);
}
