/// Storage: the records CSV-X keeps (applications, endpoints, messages, attempts, files,
/// pipelines, jobs, sources), one small interface per aggregate, [io.csvx.store.Db] with its
/// work signal, [io.csvx.store.Ids], and [io.csvx.store.TtlCache] for hot-path lookups.
/// Implementations live in `store.jdbc` (portable SQL) over `store.sqlite` or `store.postgres`;
/// only `store.*` speaks SQL, and the store knows no feature.
package io.csvx.store;
