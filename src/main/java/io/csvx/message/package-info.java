/// Messages and event types: the [io.csvx.message.Publisher] commits a message with one delivery
/// per matching endpoint before anyone is told it was accepted, and hands them to this node's
/// [io.csvx.message.DeliveryEngine] when it has room; [io.csvx.message.MessageService] publishes
/// into an application and reads messages back; [io.csvx.message.EventTypeService] keeps the
/// catalogue. Holds the `Message`, `EventType` and `DeliveryState` records and their stores. Uses
/// `store`, `tenant` and `endpoint`; the engine (`delivery`) sits above it.
package io.csvx.message;
