/// Operational webhooks: what happens to the installation (endpoints created, changed, disabled;
/// deliveries failing, exhausted, recovered; background tasks finished), sent to the operator's
/// own endpoints as Svix sends them. [io.csvx.operational.OperationalWebhooks] observes
/// `endpoint` and `delivery` and publishes through `message` into an application it reserves in
/// `tenant`. Uses those packages and `store`; nothing below it knows it exists.
package io.csvx.operational;
