/// Outbound delivery: the [io.csvx.delivery.Publisher] fans a message out to matching endpoints;
/// the [io.csvx.delivery.Dispatcher] claims due deliveries from the durable queue, renders each in
/// its endpoint's format, signs and POSTs it through the guarded client, records every attempt and
/// schedules retries; [io.csvx.delivery.DeliveryService] resends, recovers and reads attempts.
/// Uses `store`, `signing`, `net`, `config` and `csv` (XML element names); knows nothing of HTTP
/// routing.
package io.csvx.delivery;
