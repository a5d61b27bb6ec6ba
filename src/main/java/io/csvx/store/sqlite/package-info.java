/// The embedded SQLite backend: WAL, one writer thread with group commit, a few readers.
/// Migrations live in `src/main/resources/db/migration/common` (portable SQL).
package io.csvx.store.sqlite;
