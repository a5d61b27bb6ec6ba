package io.csvx.store.jdbc;

import io.csvx.endpoint.Endpoint;
import io.csvx.endpoint.EndpointStore;
import io.csvx.endpoint.Ordering;
import io.csvx.store.Db;
import io.csvx.store.Sealer;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcEndpoints implements EndpointStore {
    static final String COLUMNS = "e.id, e.app_id, e.uid, e.url, e.description, e.disabled, e.event_types, e.channels,"
            + " e.throttle_rate, e.metadata, e.headers, e.failing_since, e.created_at, e.updated_at, e.format, e.payload_filter,"
            + " e.ordering";
    private final Db db;
    private final Sealer sealer;

    JdbcEndpoints(Db db, Sealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    @Override
    public Endpoint create(Endpoint e, String secret) {
        db.write(c -> {
            Sql.update(c, "INSERT INTO endpoint (id, app_id, uid, url, description, disabled, event_types, channels,"
                            + " throttle_rate, metadata, headers, failing_since, created_at, updated_at, format,"
                            + " payload_filter, ordering) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    e.id(), e.appId(), e.uid(), e.url(), e.description(), e.disabled(), Sql.json(e.eventTypes()),
                    Sql.json(e.channels()), e.throttleRate(), e.metadata(), sealer.seal(Sql.json(e.headers())),
                    e.failingSince(),
                    e.createdAt(), e.updatedAt(), e.format() == null ? null : e.format().toString(), e.filter(),
                    ordering(e));
            return Sql.update(c, "INSERT INTO endpoint_secret (endpoint_id, secret, created_at, expires_at)"
                    + " VALUES (?,?,?,NULL)", e.id(), sealer.seal(secret), e.createdAt());
        });
        return e;
    }

    @Override
    public Optional<Endpoint> find(String appId, String idOrUid) {
        return Sql.byIdOr(db, "SELECT " + COLUMNS + " FROM endpoint e WHERE e.app_id = ?", "e.id", "e.uid", idOrUid,
                this::map, appId);
    }

    @Override
    public Optional<Endpoint> byId(String id) {
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM endpoint e WHERE e.id = ?", this::map, id));
    }

    @Override
    public Page<Endpoint> list(String appId, PageRequest page) {
        List<Object> params = new ArrayList<>(List.of(appId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM endpoint e WHERE e.app_id = ?");
        return Sql.page(db, sql, params, "e.id", page, this::map, Endpoint::id);
    }

    @Override
    public List<Endpoint> all(String appId) {
        return db.read(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM endpoint e WHERE e.app_id = ? ORDER BY e.id",
                this::map, appId));
    }

    @Override
    public List<Endpoint> failing(int limit) {
        return db.read(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM endpoint e WHERE e.failing_since IS NOT NULL"
                + " ORDER BY e.failing_since, e.id LIMIT ?", this::map, limit));
    }

    @Override
    public Endpoint update(Endpoint e) {
        db.write(c -> (e.ordering() == Ordering.BLOCK ? 0 : KeyLines.unblockAll(db, c, e.id(), e.updatedAt()))
                + Sql.update(c, "UPDATE endpoint SET uid = ?, url = ?, description = ?, disabled = ?, event_types = ?,"
                        + " channels = ?, throttle_rate = ?, metadata = ?, headers = ?, failing_since = ?, updated_at = ?,"
                        + " format = ?, payload_filter = ?, ordering = ? WHERE id = ?",
                e.uid(), e.url(), e.description(), e.disabled(), Sql.json(e.eventTypes()), Sql.json(e.channels()),
                e.throttleRate(), e.metadata(), sealer.seal(Sql.json(e.headers())), e.failingSince(), e.updatedAt(),
                e.format() == null ? null : e.format().toString(), e.filter(), ordering(e),
                e.id()));
        return e;
    }

    @Override
    public boolean delete(String appId, String id) {
        return db.write(c -> Sql.update(c, "DELETE FROM endpoint WHERE app_id = ? AND id = ?", appId, id)) > 0;
    }

    @Override
    public List<String> secrets(String endpointId, Instant now) {
        return db.read(c -> Sql.query(c, "SELECT secret FROM endpoint_secret WHERE endpoint_id = ?"
                        + " AND (expires_at IS NULL OR expires_at > ?) ORDER BY CASE WHEN expires_at IS NULL THEN 0 ELSE 1 END,"
                        + " created_at DESC",
                rs -> sealer.open(rs.getString(1)), endpointId, now));
    }

    @Override
    public void rotateSecret(String endpointId, String newSecret, Instant now, Duration grace) {
        db.write(c -> {
            Sql.update(c, "UPDATE endpoint_secret SET expires_at = ? WHERE endpoint_id = ? AND expires_at IS NULL",
                    now.plus(grace), endpointId);
            Sql.update(c, "DELETE FROM endpoint_secret WHERE endpoint_id = ? AND expires_at <= ?", endpointId, now);
            return Sql.update(c, "INSERT INTO endpoint_secret (endpoint_id, secret, created_at, expires_at)"
                    + " VALUES (?,?,?,NULL)", endpointId, sealer.seal(newSecret), now);
        });
    }

    @Override
    public Stats stats(String endpointId, Instant now, Instant since, Instant until) {
        return db.read(c -> Sql.one(c, "SELECT"
                        + " SUM(CASE WHEN status = 0 THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN status = 1 AND NOT (lease_owner IS NOT NULL AND next_attempt_at > ?) THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN status = 2 THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN status = 1 AND lease_owner IS NOT NULL AND next_attempt_at > ? THEN 1 ELSE 0 END)"
                        + " FROM delivery_all WHERE endpoint_id = ? AND created_at >= ? AND created_at < ?",
                rs -> new Stats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)), now, now, endpointId,
                since == null ? Instant.EPOCH : since, until == null ? Instant.ofEpochMilli(Long.MAX_VALUE) : until))
                .orElse(new Stats(0, 0, 0, 0));
    }

    @Override
    public Backlog backlog(String endpointId, Instant now) {
        return db.read(c -> Sql.one(c, "SELECT COUNT(*) AS due, MIN(next_attempt_at) AS oldest FROM delivery"
                        + " WHERE endpoint_id = ? AND status = 1 AND next_attempt_at <= ?",
                rs -> new Backlog(rs.getLong("due"), Sql.instant(rs, "oldest")), endpointId, now))
                .orElse(new Backlog(0, null));
    }

    @Override
    public java.util.Map<String, Long> mostDue(Instant now, int limit) {
        java.util.Map<String, Long> top = new java.util.LinkedHashMap<>();
        db.read(c -> Sql.query(c, "SELECT endpoint_id, COUNT(*) AS due FROM delivery WHERE status = 1"
                + " AND next_attempt_at <= ? GROUP BY endpoint_id ORDER BY due DESC, endpoint_id LIMIT ?",
                rs -> top.put(rs.getString("endpoint_id"), rs.getLong("due")), now, limit));
        return top;
    }

    private Endpoint map(ResultSet rs) throws SQLException {
        return map(rs, sealer);
    }

    /// An endpoint row, its header values opened with `sealer`.
    static Endpoint map(ResultSet rs, Sealer sealer) throws SQLException {
        return new Endpoint(rs.getString("id"), rs.getString("app_id"), rs.getString("uid"), rs.getString("url"),
                rs.getString("description"), rs.getInt("disabled") != 0, Sql.stringList(rs.getString("event_types")),
                Sql.stringList(rs.getString("channels")), Sql.integer(rs, "throttle_rate"), rs.getString("metadata"),
                Sql.stringMap(sealer.open(rs.getString("headers"))), Sql.instant(rs, "failing_since"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), Sql.object(rs.getString("format")),
                rs.getString("payload_filter"), rs.getString("ordering") == null ? Ordering.OFF
                        : Ordering.of(rs.getString("ordering")).orElse(Ordering.OFF));
    }

    /// Null for off, so that the column says only what differs from the default.
    private static String ordering(Endpoint e) {
        return e.ordering() == Ordering.OFF ? null : e.ordering().wire();
    }
}
