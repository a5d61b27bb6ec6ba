/// Standard Webhooks signing and verification, shared by outbound delivery and inbound sources.
/// Pure functions over bytes: no HTTP, no storage.
package io.csvx.signing;
