/// CSV-X: [io.csvx.Main] is the entry point and [io.csvx.App] wires one node together.
/// Feature packages: `web` (API), `delivery` (queue to network), `store` (persistence),
/// `net` (SSRF guard, HTTP client), `signing`, `config`, `cli`.
package io.csvx;
