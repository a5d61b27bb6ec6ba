/// CSV-X: [io.csvx.Main] is the entry point; it hands `bench`, `bench-csv` and `aot-train` to
/// `bench` and everything else to `cli`. The package map and its rules are in docs/architecture.md.
package io.csvx;
