/// Incoming webhooks: [io.csvx.source.SourceService] keeps sources and their request logs;
/// [io.csvx.source.IngestService] authenticates what other systems send (Standard Webhooks,
/// GitHub, Stripe, HMAC, basic, API key), stores it, recognises duplicates, and acts on it by
/// publishing a message or running a pipeline. Holds the `Source` and `InboundRequest` records and
/// `SourceStore`. Uses `signing`, `net` (header names), `file`, `job`, `message` and `store`;
/// knows nothing of HTTP routing.
package io.csvx.source;
