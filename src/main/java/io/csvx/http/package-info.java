/// The HTTP API (Svix v1 compatible): routing in [io.csvx.http.Api#routes], request reading and
/// validation, the JSON shapes, auth, idempotency and error mapping. The only package that speaks
/// Javalin. Handlers call the feature services handed to them in [io.csvx.http.Services], never a
/// store (ArchitectureTest checks it); the features' records are read as values. Holds the
/// API's own `IdempotencyStore`. Uses the features, `signing`, `config`, and from `store` only
/// pages, ids and the conflict outcome.
package io.csvx.http;
