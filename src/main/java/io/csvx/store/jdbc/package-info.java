/// JDBC implementations of every feature's store interface in portable SQL (SQLite and
/// PostgreSQL), and [io.csvx.store.jdbc.Stores], the set of them over one database. Package-private
/// classes; [io.csvx.store.jdbc.JdbcStores] is the only way in. The one package that sees every
/// feature, and only their records and store interfaces.
package io.csvx.store.jdbc;
