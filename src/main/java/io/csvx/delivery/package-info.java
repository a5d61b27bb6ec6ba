/// Outbound delivery: claims due deliveries from the durable queue, renders each in its
/// endpoint's format, signs and POSTs it through the guarded client, records every attempt and
/// schedules retries. Uses `store`, `signing`, `net` and `csv` (XML element names); knows nothing
/// of HTTP routing.
package io.csvx.delivery;
