/// The HTTP API (Svix v1 compatible): routing in [io.csvx.http.Api#routes], request validation,
/// the JSON shapes, auth, idempotency and error mapping. The only package that speaks Javalin.
/// Uses `store`, `delivery`, `signing` and `config`.
package io.csvx.http;
