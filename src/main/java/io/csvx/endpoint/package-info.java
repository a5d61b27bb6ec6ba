/// Endpoints: where an application's messages go, with their signing secrets and custom headers.
/// [io.csvx.endpoint.EndpointService] is the one way to change them, so whoever caches
/// endpoints (delivery's directory, registered with [io.csvx.endpoint.EndpointService#onChange])
/// hears of every change. Holds the `Endpoint` record and its `EndpointStore`. Uses `store` and
/// `signing`.
package io.csvx.endpoint;
