/// The PostgreSQL backend: a HikariCP pool, the shared migrations, `FOR UPDATE SKIP LOCKED`
/// claims and LISTEN/NOTIFY wake-ups, for several CSV-X nodes on one database.
package io.csvx.store.postgres;
