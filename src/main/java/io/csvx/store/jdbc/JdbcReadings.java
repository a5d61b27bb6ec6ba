package io.csvx.store.jdbc;

import io.csvx.delivery.QueueGauges.Reading;
import io.csvx.delivery.ReadingStore;
import io.csvx.store.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

final class JdbcReadings implements ReadingStore {
    private static final String COLUMNS = "node, at, delivered, retried, dead, attempts, latency_us, due, oldest_ms,"
            + " in_flight, jobs_running";
    private final Db db;

    JdbcReadings(Db db) {
        this.db = db;
    }

    @Override
    public void record(Reading r) {
        db.write(c -> Sql.update(c, "INSERT INTO node_reading (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                r.node(), r.at(), r.delivered(), r.retried(), r.dead(), r.attempts(), r.latencyMicros(), r.due(),
                r.oldestAgeMillis(), r.inFlight(), r.jobsRunning()));
    }

    @Override
    public List<Reading> since(Instant from) {
        return db.read(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM node_reading WHERE at >= ? ORDER BY node, at",
                JdbcReadings::map, from));
    }

    @Override
    public int prune(Instant before) {
        return db.write(c -> Sql.update(c, "DELETE FROM node_reading WHERE at < ?", before));
    }

    private static Reading map(ResultSet rs) throws SQLException {
        return new Reading(rs.getString("node"), Sql.instant(rs, "at"), rs.getLong("delivered"), rs.getLong("retried"),
                rs.getLong("dead"), rs.getLong("attempts"), rs.getLong("latency_us"), rs.getLong("due"),
                rs.getLong("oldest_ms"), rs.getInt("in_flight"), rs.getInt("jobs_running"));
    }
}
