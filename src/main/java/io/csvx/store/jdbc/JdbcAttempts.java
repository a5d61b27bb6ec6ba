package io.csvx.store.jdbc;

import io.csvx.delivery.Attempt;
import io.csvx.delivery.AttemptStore;
import io.csvx.message.MessageStore;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcAttempts implements AttemptStore {
    private static final String COLUMNS = "id, msg_id, endpoint_id, app_id, url, status, status_code, response,"
            + " duration_ms, error, trigger_type, created_at";
    private final Db db;

    JdbcAttempts(Db db) {
        this.db = db;
    }

    @Override
    public Page<Attempt> byMessage(String msgId, PageRequest page, Filter filter) {
        return list("msg_id", msgId, page, filter);
    }

    @Override
    public Page<Attempt> byEndpoint(String endpointId, PageRequest page, Filter filter) {
        return list("endpoint_id", endpointId, page, filter);
    }

    private Page<Attempt> list(String keyColumn, String key, PageRequest page, Filter filter) {
        List<Object> params = new ArrayList<>(List.of(key));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM attempt WHERE " + keyColumn + " = ?");
        where(sql, params, filter);
        return Sql.page(db, sql, params, "id", page, JdbcAttempts::map, Attempt::id);
    }

    @Override
    public long countAtEndpoint(String endpointId, Filter filter) {
        List<Object> params = new ArrayList<>(List.of(endpointId));
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM attempt WHERE endpoint_id = ?");
        where(sql, params, filter);
        return db.read(c -> Sql.one(c, sql.toString(), rs -> rs.getLong(1), params.toArray())).orElse(0L);
    }

    /// The filter's conditions, appended to a WHERE clause over `attempt`.
    private static void where(StringBuilder sql, List<Object> params, Filter filter) {
        if (filter.endpointId() != null) {
            sql.append(" AND endpoint_id = ?");
            params.add(filter.endpointId());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            params.add(filter.status());
        }
        if (filter.statusCodeClass() != null) {
            int cls = filter.statusCodeClass();
            sql.append(cls == 0 ? " AND status_code = 0" : " AND status_code >= ? AND status_code < ?");
            if (cls != 0) {
                params.add(cls);
                params.add(cls + 100);
            }
        }
        if (filter.before() != null) {
            sql.append(" AND created_at < ?");
            params.add(filter.before());
        }
        if (filter.after() != null) {
            sql.append(" AND created_at > ?");
            params.add(filter.after());
        }
        if (filter.channel() != null || filter.tag() != null || filter.eventTypes() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM message m WHERE m.id = attempt.msg_id");
            JdbcMessages.appendFilter(sql, params,
                    new MessageStore.Filter(filter.channel() == null ? null : List.of(filter.channel()), filter.tag(),
                            filter.eventTypes(), null, null));
            sql.append(")");
        }
    }

    @Override
    public Optional<Attempt> find(String msgId, String attemptId) {
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM attempt WHERE msg_id = ? AND id = ?",
                JdbcAttempts::map, msgId, attemptId));
    }

    @Override
    public List<Count> count(String appId, Instant since, Instant until, List<String> eventTypes) {
        List<Object> params = new ArrayList<>(List.of(since, until, appId));
        StringBuilder sql = new StringBuilder("SELECT m.event_type, a.status, COUNT(*) FROM attempt a"
                + " JOIN message m ON m.id = a.msg_id WHERE a.created_at >= ? AND a.created_at < ? AND a.app_id = ?");
        if (eventTypes != null && !eventTypes.isEmpty()) {
            sql.append(" AND m.event_type IN (").append("?,".repeat(eventTypes.size() - 1)).append("?)");
            params.addAll(eventTypes);
        }
        sql.append(" GROUP BY m.event_type, a.status");
        return db.read(c -> Sql.query(c, sql.toString(), rs -> new Count(rs.getString(1), rs.getInt(2), rs.getLong(3)),
                params.toArray()));
    }

    @Override
    public boolean expungeResponse(String msgId, String attemptId) {
        return db.write(c -> Sql.update(c, "UPDATE attempt SET response = '' WHERE msg_id = ? AND id = ?",
                msgId, attemptId)) > 0;
    }

    private static Attempt map(ResultSet rs) throws SQLException {
        return new Attempt(rs.getString("id"), rs.getString("msg_id"), rs.getString("endpoint_id"),
                rs.getString("app_id"), rs.getString("url"), rs.getInt("status"), rs.getInt("status_code"),
                rs.getString("response"), rs.getLong("duration_ms"), rs.getString("error"), rs.getInt("trigger_type"),
                Sql.instant(rs, "created_at"));
    }

    @Override
    public int purge(Instant before, int limit) {
        return db.write(c -> Sql.update(c, "DELETE FROM attempt WHERE id IN (SELECT id FROM attempt WHERE created_at < ?"
                + " LIMIT ?)", before, limit));
    }
}
