/// Storage: the records CSV-X keeps (applications, endpoints, messages, attempts), one small
/// interface per aggregate, and [io.csvx.store.Db]. Implementations live in `store.jdbc`
/// (portable SQL) over a backend such as `store.sqlite`. Only `store.*` speaks SQL.
package io.csvx.store;
