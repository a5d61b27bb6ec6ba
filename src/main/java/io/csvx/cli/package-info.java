/// The command line (picocli): `serve`, `listen` (a receiver for trying CSV-X out), `convert`
/// (offline CSV conversion) and `bench`. Parses flags and environment into a
/// [io.csvx.config.Config] and hands it to [io.csvx.App]; no other logic lives here.
package io.csvx.cli;
