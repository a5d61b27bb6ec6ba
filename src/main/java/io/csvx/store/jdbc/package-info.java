/// JDBC implementations of the store interfaces in portable SQL (SQLite and PostgreSQL).
/// Package-private classes; [io.csvx.store.jdbc.JdbcStores] is the only way in.
package io.csvx.store.jdbc;
