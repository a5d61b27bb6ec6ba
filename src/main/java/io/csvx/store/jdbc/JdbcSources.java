package io.csvx.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.source.InboundRequest;
import io.csvx.source.Source;
import io.csvx.source.SourceStore;
import io.csvx.store.Db;
import io.csvx.store.Sealer;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcSources implements SourceStore {
    private static final String COLUMNS = "id, app_id, uid, name, verification, action, dedup, created_at, updated_at";
    private static final String REQUEST_COLUMNS = "id, source_id, app_id, headers, body, body_base64, body_file, size,"
            + " verified, status, detail, dedup_key, outcome, replay_of, received_at";
    private final Db db;
    private final Sealer sealer;

    JdbcSources(Db db, Sealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    @Override
    public Source create(Source s) {
        db.write(c -> Sql.update(c, "INSERT INTO source (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)", s.id(), s.appId(),
                s.uid(), s.name(), sealer.seal(text(s.verification())), text(s.action()), text(s.dedup()), s.createdAt(),
                s.updatedAt()));
        return s;
    }

    @Override
    public Optional<Source> find(String appId, String idOrUid) {
        return Sql.byIdOr(db, "SELECT " + COLUMNS + " FROM source WHERE app_id = ?", "id", "uid", idOrUid,
                this::map, appId);
    }

    @Override
    public Optional<Source> find(String id) {
        // an application being deleted keeps its sources until the background removal: they take nothing more
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM source WHERE id = ? AND NOT EXISTS (SELECT 1"
                + " FROM application a WHERE a.id = source.app_id AND a.deleted_at IS NOT NULL)", this::map, id));
    }

    @Override
    public Page<Source> list(String appId, PageRequest page) {
        List<Object> params = new ArrayList<>(List.of(appId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM source WHERE app_id = ?");
        return Sql.page(db, sql, params, "id", page, this::map, Source::id);
    }

    @Override
    public Source update(Source s) {
        db.write(c -> Sql.update(c, "UPDATE source SET uid = ?, name = ?, verification = ?, action = ?, dedup = ?,"
                + " updated_at = ? WHERE app_id = ? AND id = ?", s.uid(), s.name(), sealer.seal(text(s.verification())),
                text(s.action()), text(s.dedup()),
                s.updatedAt(), s.appId(), s.id()));
        return s;
    }

    @Override
    public boolean delete(String appId, String id) {
        return db.write(c -> Sql.update(c, "DELETE FROM source WHERE app_id = ? AND id = ?", appId, id)) > 0;
    }

    @Override
    public void record(InboundRequest r) {
        db.write(c -> Sql.update(c, "INSERT INTO inbound_request (" + REQUEST_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                r.id(), r.sourceId(), r.appId(), Sql.json(r.headers()), r.body(), r.bodyBase64(), r.bodyFile(), r.size(),
                r.verified(), r.status().wire(), r.detail(), r.dedupKey(), r.outcome(), r.replayOf(), r.receivedAt()));
    }

    @Override
    public void finish(String requestId, InboundRequest.Status status, String detail, String outcome, String bodyFile) {
        db.write(c -> Sql.update(c, "UPDATE inbound_request SET status = ?, detail = ?, outcome = ?,"
                + " body_file = COALESCE(?, body_file) WHERE id = ?", status.wire(), detail, outcome, bodyFile, requestId));
    }

    @Override
    public Optional<InboundRequest> request(String sourceId, String requestId) {
        return db.read(c -> Sql.one(c, "SELECT " + REQUEST_COLUMNS + " FROM inbound_request WHERE source_id = ? AND id = ?",
                JdbcSources::mapRequest, sourceId, requestId));
    }

    @Override
    public Page<InboundRequest> requests(String sourceId, PageRequest page) {
        List<Object> params = new ArrayList<>(List.of(sourceId));
        StringBuilder sql = new StringBuilder("SELECT " + REQUEST_COLUMNS + " FROM inbound_request WHERE source_id = ?");
        return Sql.page(db, sql, params, "id", page, JdbcSources::mapRequest, InboundRequest::id);
    }

    /// The status of rejected requests as a literal: a partial index (`inbound_rejected`) serves
    /// only a query that names its condition's value.
    private static final String REJECTED = "'" + InboundRequest.Status.REJECTED.wire() + "'";

    @Override
    public int pruneRejected(int keep, int limit) {
        if (keep < 1 || limit < 1) {
            throw new IllegalArgumentException("keep and limit must be positive");
        }
        // the sources over their share, found on a read connection (SQLite's writer is not held)
        List<String> over = db.read(c -> Sql.query(c, "SELECT source_id FROM inbound_request WHERE status = "
                + REJECTED + " GROUP BY source_id HAVING COUNT(*) > ? ORDER BY source_id", rs -> rs.getString(1), keep));
        if (over.isEmpty()) {
            return 0;
        }
        return db.write(c -> {
            int removed = 0;
            for (String sourceId : over) {
                if (removed == limit) {
                    break;
                }
                // below the source's keep-th newest as it is now: exact whatever another node removed meanwhile
                removed += Sql.update(c, "DELETE FROM inbound_request WHERE id IN (SELECT id FROM inbound_request"
                        + " WHERE source_id = ? AND status = " + REJECTED + " AND id < (SELECT id FROM inbound_request"
                        + " WHERE source_id = ? AND status = " + REJECTED + " ORDER BY id DESC LIMIT 1 OFFSET ?)"
                        + " ORDER BY id LIMIT ?)", sourceId, sourceId, keep - 1, limit - removed);
            }
            return removed;
        });
    }

    @Override
    public int purge(Instant before, int limit) {
        return db.write(c -> Sql.update(c, "DELETE FROM inbound_claim WHERE (source_id, dedup_key) IN (SELECT source_id,"
                + " dedup_key FROM inbound_claim WHERE claimed_at < ? LIMIT ?)", before, limit)
                + Sql.update(c, "DELETE FROM inbound_request WHERE id IN (SELECT id FROM inbound_request"
                + " WHERE received_at < ? LIMIT ?)", before, limit));
    }

    @Override
    public boolean claim(String sourceId, String dedupKey, String requestId, Instant now, Instant windowStart,
                         Instant staleStart) {
        return db.write(c -> Sql.update(c, "INSERT INTO inbound_claim (source_id, dedup_key, request_id, claimed_at)"
                + " VALUES (?,?,?,?) ON CONFLICT (source_id, dedup_key) DO NOTHING", sourceId, dedupKey, requestId, now) == 1
                || Sql.update(c, "UPDATE inbound_claim SET request_id = ?, claimed_at = ? WHERE source_id = ?"
                + " AND dedup_key = ? AND (claimed_at < ? OR claimed_at < ? AND NOT EXISTS (SELECT 1 FROM"
                + " inbound_request q WHERE q.id = inbound_claim.request_id AND q.status = ?))", requestId, now, sourceId,
                dedupKey, windowStart, staleStart, InboundRequest.Status.PROCESSED.wire()) == 1);
    }

    @Override
    public void release(String sourceId, String dedupKey, String requestId) {
        db.write(c -> Sql.update(c, "DELETE FROM inbound_claim WHERE source_id = ? AND dedup_key = ? AND request_id = ?",
                sourceId, dedupKey, requestId));
    }

    private Source map(ResultSet rs) throws SQLException {
        return new Source(rs.getString("id"), rs.getString("app_id"), rs.getString("uid"), rs.getString("name"),
                Sql.object(sealer.open(rs.getString("verification"))), Sql.object(rs.getString("action")),
                Sql.object(rs.getString("dedup")), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }

    private static InboundRequest mapRequest(ResultSet rs) throws SQLException {
        return new InboundRequest(rs.getString("id"), rs.getString("source_id"), rs.getString("app_id"),
                Sql.stringMap(rs.getString("headers")), rs.getString("body"), rs.getInt("body_base64") == 1,
                rs.getString("body_file"), rs.getLong("size"), rs.getInt("verified") == 1,
                InboundRequest.Status.ofWire(rs.getString("status")),
                rs.getString("detail"), rs.getString("dedup_key"), rs.getString("outcome"), rs.getString("replay_of"),
                Sql.instant(rs, "received_at"));
    }

    private static String text(ObjectNode json) {
        return json == null ? null : json.toString();
    }
}
