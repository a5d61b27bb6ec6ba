/// Outbound delivery: claims due deliveries from the durable queue, signs and POSTs them
/// through the guarded client, records every attempt and schedules retries.
/// Uses `store`, `signing` and `net`; knows nothing of HTTP routing.
package io.csvx.delivery;
