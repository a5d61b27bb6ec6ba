/// The HTTP API (Svix v1 compatible): routing in [io.csvx.http.Api#routes], request reading and
/// validation, the JSON shapes, auth, idempotency and error mapping. The only package that speaks
/// Javalin. Handlers call the feature services handed to them in [io.csvx.http.Services], never a
/// store (ArchitectureTest checks it); store records are read as values. Uses the features,
/// `signing` and `config`.
package io.csvx.http;
