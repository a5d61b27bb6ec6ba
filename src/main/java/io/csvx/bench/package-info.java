/// Benchmarks (`csvx bench`, `csvx bench-isolation` and its receiver process, `csvx bench-csv`,
/// `csvx bench-pages`) and the launcher's AOT training run. The server never loads this package. Uses `node` to start nodes, `net` for the client, `csv` and
/// `pipeline` for conversion, and `store.postgres` for throwaway schemas.
package io.csvx.bench;
