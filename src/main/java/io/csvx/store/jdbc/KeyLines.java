package io.csvx.store.jdbc;

import io.csvx.store.Db;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/// The lines of ordered deliveries, one per (endpoint, ordering key). Only a line's head is due;
/// the deliveries behind it wait with `next_attempt_at` null, which no claim, due count or lease
/// expiry ever matches, until the head ends and [#promote] makes the next one due. A line is
/// changed only under its lock ([Db#lockKeys]), so that a publish joining a line and the recorder
/// ending its head cannot each leave the moving-on to the other.
final class KeyLines {
    private KeyLines() {
    }

    /// One endpoint's line for one ordering key.
    record Line(String endpointId, String key) {
        /// FNV-1a over both names: lines that collide merely share a lock.
        long lockKey() {
            long h = 0xcbf29ce484222325L;
            for (byte b : (endpointId + '\n' + key).getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
            return h;
        }
    }

    /// Where a new delivery joins a line: its number, and whether it waits (the line has a
    /// delivery still pending, or is blocked).
    record Place(long seq, boolean waits) {
    }

    /// Locks `lines` until the transaction ends, in one order for every transaction.
    static void lock(Db db, Connection c, Collection<Line> lines) throws SQLException {
        db.lockKeys(c, lines.stream().mapToLong(Line::lockKey).distinct().sorted().toArray());
    }

    /// Where a delivery published now joins `line`; the caller holds the line's lock.
    static Place join(Connection c, Line line) throws SQLException {
        Optional<Long> last = Sql.one(c, "SELECT ordering_seq FROM delivery WHERE endpoint_id = ? AND ordering_key = ?"
                + " ORDER BY ordering_seq DESC LIMIT 1", rs -> rs.getLong(1), line.endpointId(), line.key());
        if (last.isPresent()) {
            return new Place(last.get() + 1, true);
        }
        return new Place(1, blocked(c, line));
    }

    static boolean blocked(Connection c, Line line) throws SQLException {
        return Sql.one(c, "SELECT 1 FROM ordering_block WHERE endpoint_id = ? AND ordering_key = ?", rs -> 1,
                line.endpointId(), line.key()).isPresent();
    }

    /// Makes the first waiting delivery of `line` due (at once, or at its message's `deliverAt`),
    /// unless a delivery of the line is pending already; the caller holds the line's lock.
    static boolean promote(Connection c, Line line, Instant now) throws SQLException {
        String e = line.endpointId();
        String k = line.key();
        return Sql.update(c, "UPDATE delivery SET next_attempt_at = COALESCE((SELECT m.deliver_at FROM message m"
                + " WHERE m.id = delivery.msg_id AND m.deliver_at > ?), ?)"
                + " WHERE endpoint_id = ? AND ordering_key = ? AND next_attempt_at IS NULL AND ordering_seq ="
                + " (SELECT MIN(w.ordering_seq) FROM delivery w WHERE w.endpoint_id = ? AND w.ordering_key = ?"
                + " AND w.next_attempt_at IS NULL)"
                + " AND NOT EXISTS (SELECT 1 FROM delivery p WHERE p.endpoint_id = ? AND p.ordering_key = ?"
                + " AND p.next_attempt_at IS NOT NULL)", now, now, e, k, e, k, e, k) > 0;
    }

    /// Holds `line` up behind `msgId`, which failed for good; the caller holds the line's lock.
    static void block(Connection c, Line line, String msgId, Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO ordering_block (endpoint_id, ordering_key, msg_id, created_at) VALUES (?,?,?,?)"
                + " ON CONFLICT (endpoint_id, ordering_key) DO NOTHING", line.endpointId(), line.key(), msgId, now);
    }

    /// Puts a blocked line's failed head back at the front of its line, due now; empty when
    /// `msgId` blocks no line of `endpointId`.
    static Optional<Line> unblockWith(Db db, Connection c, String msgId, String endpointId, String appId, Instant now)
            throws SQLException {
        Optional<String> key = Sql.one(c, "SELECT ordering_key FROM ordering_block WHERE endpoint_id = ? AND msg_id = ?",
                rs -> rs.getString(1), endpointId, msgId);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Line line = new Line(endpointId, key.get());
        lock(db, c, List.of(line));
        if (Sql.update(c, "DELETE FROM ordering_block WHERE endpoint_id = ? AND ordering_key = ? AND msg_id = ?",
                endpointId, line.key(), msgId) == 0) {
            return Optional.empty(); // unblocked meanwhile
        }
        long first = Sql.one(c, "SELECT MIN(ordering_seq) FROM delivery WHERE endpoint_id = ? AND ordering_key = ?",
                rs -> rs.getObject(1) == null ? 1L : rs.getLong(1), endpointId, line.key()).orElse(1L);
        Sql.update(c, "DELETE FROM delivery_done WHERE msg_id = ? AND endpoint_id = ?", msgId, endpointId);
        Sql.update(c, "INSERT INTO delivery (msg_id, endpoint_id, app_id, status, attempts, trigger_type,"
                + " next_attempt_at, lease_owner, created_at, updated_at, ordering_key, ordering_seq)"
                + " VALUES (?,?,?,1,0,1,?,NULL,?,?,?,?)", msgId, endpointId, appId, now, now, now, line.key(), first - 1);
        return Optional.of(line);
    }

    /// Lets every blocked line of `endpointId` move on past its failed head: the endpoint no
    /// longer blocks. Answers how many lines moved.
    static int unblockAll(Db db, Connection c, String endpointId, Instant now) throws SQLException {
        List<Line> blocked = Sql.query(c, "SELECT ordering_key FROM ordering_block WHERE endpoint_id = ?",
                rs -> new Line(endpointId, rs.getString(1)), endpointId);
        if (blocked.isEmpty()) {
            return 0;
        }
        lock(db, c, blocked);
        int moved = 0;
        for (Line line : blocked) {
            if (Sql.update(c, "DELETE FROM ordering_block WHERE endpoint_id = ? AND ordering_key = ?", endpointId,
                    line.key()) > 0 && promote(c, line, now)) {
                moved++;
            }
        }
        return moved;
    }
}
