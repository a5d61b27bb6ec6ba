/// Storage: the records CSV-X keeps (applications, endpoints, messages, attempts, files,
/// pipelines and jobs), one
/// small interface per aggregate, [io.csvx.store.Db], and [io.csvx.store.TtlCache] for hot-path
/// lookups. Implementations live in `store.jdbc` (portable SQL) over a backend such as
/// `store.sqlite`. Only `store.*` speaks SQL.
package io.csvx.store;
