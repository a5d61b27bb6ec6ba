/// The command line (picocli): `serve`, `listen` (a verifying receiver for trying CSV-X out),
/// `convert` (offline CSV conversion) and `upload` (a client of the API). Parses flags and
/// environment into a [io.csvx.config.Config] and hands it to [io.csvx.node.App]; no other logic
/// lives here. Uses `node`, `config`, `csv`, `pipeline`, `signing` and `net`.
package io.csvx.cli;
