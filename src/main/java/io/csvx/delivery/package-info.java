/// Outbound delivery, the engine behind publishing: the [io.csvx.delivery.Dispatcher] claims due
/// deliveries from the durable queue (or takes them straight from a publish on this node), renders
/// each in its endpoint's format, signs and POSTs it through the guarded client, records every
/// attempt and schedules retries, telling [io.csvx.delivery.DeliveryObserver]s what the outcomes
/// mean; [io.csvx.delivery.DeliveryService] resends and reads attempts;
/// [io.csvx.delivery.BackgroundTasks] recovers and replays as durable tasks. Holds the `Attempt`
/// and `BackgroundTask` records, the `DeliveryQueue`, `AttemptStore` and `TaskStore`. Uses
/// `message` (the engine's side of publishing), `endpoint`, `store`, `signing`, `net`, `config`
/// and `csv` (XML element names); knows nothing of HTTP routing.
package io.csvx.delivery;
