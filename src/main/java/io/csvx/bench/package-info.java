/// Benchmarks (`csvx bench`, `bench-wire`, `bench-isolation` and their receiver process,
/// `bench-csv`, `bench-diff`, `bench-pages`) and the launcher's AOT training run. The server never
/// loads this package. Uses `node` to start nodes, `net` for the client, `csv` and `pipeline` for
/// conversion, `store.sqlite` to write stored history into a stopped node's database, and
/// `store.postgres` for throwaway schemas.
package io.csvx.bench;
