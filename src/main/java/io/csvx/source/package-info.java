/// Incoming webhooks: sources that authenticate what other systems send (Standard Webhooks,
/// GitHub, Stripe, HMAC, basic, API key), store it, recognise duplicates, and act on it by
/// publishing a message or running a pipeline. Uses `signing`, `file`, `job`, `delivery` and
/// `store`; knows nothing of HTTP routing.
package io.csvx.source;
