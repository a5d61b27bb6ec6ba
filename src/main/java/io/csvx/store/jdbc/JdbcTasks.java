package io.csvx.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.delivery.BackgroundTask;
import io.csvx.delivery.BackgroundTask.Kind;
import io.csvx.delivery.BackgroundTask.Params;
import io.csvx.delivery.BackgroundTask.Status;
import io.csvx.delivery.TaskStore;
import io.csvx.message.Message;
import io.csvx.message.MessageStore;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

final class JdbcTasks implements TaskStore {
    private static final String COLUMNS = "id, task, status, app_id, endpoint_id, params, cursor, scanned, scheduled,"
            + " error, created_at, updated_at";
    private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);
    private final Db db;

    JdbcTasks(Db db) {
        this.db = db;
    }

    @Override
    public void insert(BackgroundTask t, String owner, Instant leaseUntil) {
        db.write(c -> Sql.update(c, "INSERT INTO background_task (id, task, status, app_id, endpoint_id, params, cursor,"
                        + " scanned, scheduled, error, lease_owner, lease_until, created_at, updated_at)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                t.id(), t.kind().wire, t.status().wire(), t.appId(), t.endpointId(), params(t.params()), t.cursor(),
                t.scanned(), t.scheduled(), t.error(), owner, leaseUntil, t.createdAt(), t.updatedAt()));
    }

    @Override
    public Optional<BackgroundTask> find(String id) {
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM background_task WHERE id = ?", JdbcTasks::map, id));
    }

    @Override
    public Page<BackgroundTask> list(PageRequest page, Status status, Kind kind) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM background_task WHERE 1 = 1");
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status.wire());
        }
        if (kind != null) {
            sql.append(" AND task = ?");
            params.add(kind.wire);
        }
        return Sql.page(db, sql, params, "id", page, JdbcTasks::map, BackgroundTask::id);
    }

    @Override
    public List<BackgroundTask> claimStale(String owner, Instant now, Instant leaseUntil, int limit) {
        // asked every few seconds by every node: a read first, so the usual answer takes no write
        boolean any = db.read(c -> Sql.one(c, "SELECT id FROM background_task WHERE status = 'running'"
                + " AND lease_until < ? LIMIT 1", rs -> rs.getString(1), now)).isPresent();
        if (!any) {
            return List.of();
        }
        return db.write(c -> {
            List<BackgroundTask> stale = Sql.query(c, "SELECT " + COLUMNS + " FROM background_task"
                            + " WHERE status = 'running' AND lease_until < ? ORDER BY id LIMIT " + limit
                            + db.skipLocked("background_task"), JdbcTasks::map, now);
            List<BackgroundTask> claimed = new ArrayList<>();
            for (BackgroundTask t : stale) {
                if (Sql.update(c, "UPDATE background_task SET lease_owner = ?, lease_until = ? WHERE id = ?"
                        + " AND status = 'running' AND lease_until < ?", owner, leaseUntil, t.id(), now) == 1) {
                    claimed.add(t);
                }
            }
            return claimed;
        });
    }

    @Override
    public BackgroundTask.Step step(BackgroundTask t, String owner, int limit, Predicate<Message> accepts, Instant now,
                                    Instant leaseUntil) {
        return db.write(c -> {
            BackgroundTask.Step step = switch (t.kind()) {
                case RECOVER -> recover(db, c, t, limit, now);
                case REPLAY_MISSING -> replayMissing(c, t, limit, accepts, now);
                case BULK_REPLAY -> bulkReplay(db, c, t, limit, now);
            };
            int kept = Sql.update(c, "UPDATE background_task SET cursor = COALESCE(?, cursor), scanned = scanned + ?,"
                            + " scheduled = scheduled + ?, lease_until = ?, updated_at = ?"
                            + " WHERE id = ? AND lease_owner = ? AND status = 'running'",
                    step.cursor(), step.scanned(), step.scheduled(), leaseUntil, now, t.id(), owner);
            if (kept != 1) {
                throw new StoreException("background task " + t.id() + " is no longer leased to " + owner, null);
            }
            return step;
        });
    }

    /// The endpoint's failed deliveries in the range, moved back into the queue, due now (one that
    /// blocks its ordering key's line at the line's front).
    private static BackgroundTask.Step recover(Db db, Connection c, BackgroundTask t, int limit, Instant now)
            throws SQLException {
        List<String> ids = Sql.query(c, "SELECT msg_id FROM delivery_done WHERE endpoint_id = ? AND status = 2"
                        + " AND created_at >= ? AND created_at < ? AND msg_id > ? ORDER BY msg_id LIMIT " + limit,
                rs -> rs.getString(1), t.endpointId(), t.params().since(), until(t), cursor(t));
        try (PreparedStatement move = c.prepareStatement("INSERT INTO delivery (msg_id, endpoint_id, app_id, status,"
                + " attempts, trigger_type, next_attempt_at, lease_owner, created_at, updated_at) SELECT msg_id,"
                + " endpoint_id, app_id, 1, 0, 1, ?, NULL, created_at, ? FROM delivery_done"
                + " WHERE msg_id = ? AND endpoint_id = ? ON CONFLICT (msg_id, endpoint_id) DO NOTHING");
             PreparedStatement remove = c.prepareStatement(
                     "DELETE FROM delivery_done WHERE msg_id = ? AND endpoint_id = ?")) {
            for (String id : ids) {
                if (KeyLines.unblockWith(db, c, id, t.endpointId(), t.appId(), now).isPresent()) {
                    continue;
                }
                Sql.bind(move, now, now, id, t.endpointId());
                move.addBatch();
                Sql.bind(remove, id, t.endpointId());
                remove.addBatch();
            }
            move.executeBatch();
            remove.executeBatch();
        }
        return new BackgroundTask.Step(ids.isEmpty() ? null : ids.getLast(), ids.size(), ids.size(), ids.size() < limit);
    }

    /// Messages of the application in the range that never had a delivery to the endpoint and that
    /// its filters take, queued for it now.
    private static BackgroundTask.Step replayMissing(Connection c, BackgroundTask t, int limit,
                                                     Predicate<Message> accepts, Instant now) throws SQLException {
        record Seen(Message message, boolean had) {
        }
        List<Seen> seen = Sql.query(c, "SELECT " + JdbcMessages.COLUMNS + ", CASE WHEN EXISTS (SELECT 1 FROM delivery_all d"
                        + " WHERE d.msg_id = m.id AND d.endpoint_id = ?) THEN 1 ELSE 0 END AS had FROM message m"
                        + " WHERE m.app_id = ? AND m.created_at >= ? AND m.created_at < ? AND m.id > ?"
                        + " ORDER BY m.id LIMIT " + limit,
                rs -> new Seen(JdbcMessages.map(rs), rs.getInt("had") == 1), t.endpointId(), t.appId(),
                t.params().since(), until(t), cursor(t));
        int scheduled = 0;
        try (PreparedStatement add = c.prepareStatement("INSERT INTO delivery (msg_id, endpoint_id, app_id, status,"
                + " attempts, trigger_type, next_attempt_at, lease_owner, created_at, updated_at)"
                + " VALUES (?,?,?,1,0,1,?,NULL,?,?) ON CONFLICT (msg_id, endpoint_id) DO NOTHING")) {
            for (Seen s : seen) {
                if (!s.had() && accepts.test(s.message())) {
                    Sql.bind(add, s.message().id(), t.endpointId(), t.appId(), now, s.message().timestamp(), now);
                    add.addBatch();
                    scheduled++;
                }
            }
            if (scheduled > 0) {
                add.executeBatch();
            }
        }
        return new BackgroundTask.Step(seen.isEmpty() ? null : seen.getLast().message().id(), seen.size(), scheduled,
                seen.size() < limit);
    }

    /// Messages the endpoint had in the range (filtered as asked), each made due again as a resend
    /// (as [JdbcQueue#resend] does it: one waiting in its key's line keeps waiting).
    private static BackgroundTask.Step bulkReplay(Db db, Connection c, BackgroundTask t, int limit, Instant now)
            throws SQLException {
        Params p = t.params();
        List<Object> params = new ArrayList<>(List.of(t.endpointId(), p.since(), until(t), cursor(t)));
        StringBuilder sql = new StringBuilder("SELECT d.msg_id FROM delivery_all d JOIN message m ON m.id = d.msg_id"
                + " WHERE d.endpoint_id = ? AND m.created_at >= ? AND m.created_at < ? AND d.msg_id > ?");
        if (p.status() != null) {
            sql.append(" AND d.status = ?");
            params.add(p.status() == 3 ? 1 : p.status()); // sending is pending with a lease
        }
        JdbcMessages.appendFilter(sql, params, new MessageStore.Filter(p.channel() == null ? null
                : List.of(p.channel()), p.tag(), p.eventTypes(), null, null));
        if (p.statusCodeClass() != null) {
            int cls = p.statusCodeClass();
            sql.append(" AND EXISTS (SELECT 1 FROM attempt a WHERE a.msg_id = d.msg_id AND a.endpoint_id = d.endpoint_id")
                    .append(cls == 0 ? " AND a.status_code = 0)" : " AND a.status_code >= ? AND a.status_code < ?)");
            if (cls != 0) {
                params.add(cls);
                params.add(cls + 100);
            }
        }
        sql.append(" ORDER BY d.msg_id LIMIT ").append(limit);
        List<String> ids = Sql.query(c, sql.toString(), rs -> rs.getString(1), params.toArray());
        try (PreparedStatement done = c.prepareStatement("DELETE FROM delivery_done WHERE msg_id = ? AND endpoint_id = ?");
             PreparedStatement due = c.prepareStatement("INSERT INTO delivery (msg_id, endpoint_id, app_id, status,"
                     + " attempts, trigger_type, next_attempt_at, lease_owner, created_at, updated_at)"
                     + " VALUES (?,?,?,1,0,1,?,NULL,?,?) ON CONFLICT (msg_id, endpoint_id) DO UPDATE SET status = 1,"
                     + " attempts = 0, trigger_type = 1, next_attempt_at = CASE WHEN delivery.next_attempt_at IS NULL"
                     + " THEN NULL ELSE excluded.next_attempt_at END, lease_owner = NULL,"
                     + " updated_at = excluded.updated_at")) {
            for (String id : ids) {
                if (KeyLines.unblockWith(db, c, id, t.endpointId(), t.appId(), now).isPresent()) {
                    continue;
                }
                Sql.bind(done, id, t.endpointId());
                done.addBatch();
                Sql.bind(due, id, t.endpointId(), t.appId(), now, now, now);
                due.addBatch();
            }
            done.executeBatch();
            due.executeBatch();
        }
        return new BackgroundTask.Step(ids.isEmpty() ? null : ids.getLast(), ids.size(), ids.size(), ids.size() < limit);
    }

    @Override
    public void finish(String id, Status status, String error, Instant now) {
        db.write(c -> Sql.update(c, "UPDATE background_task SET status = ?, error = ?, lease_owner = NULL,"
                + " lease_until = NULL, updated_at = ? WHERE id = ?", status.wire(), error, now, id));
    }

    private static Instant until(BackgroundTask t) {
        return t.params().until() == null ? END_OF_TIME : t.params().until();
    }

    /// The task's cursor, or the empty string, before every id.
    private static String cursor(BackgroundTask t) {
        return t.cursor() == null ? "" : t.cursor();
    }

    private static String params(Params p) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("since", p.since() == null ? null : p.since().toString());
        n.put("until", p.until() == null ? null : p.until().toString());
        n.put("eventTypes", p.eventTypes());
        n.put("channel", p.channel());
        n.put("tag", p.tag());
        n.put("status", p.status());
        n.put("statusCodeClass", p.statusCodeClass());
        return Sql.json(n);
    }

    private static Params params(String json) {
        ObjectNode n = Sql.object(json);
        List<String> types = n.hasNonNull("eventTypes") ? Sql.stringList(n.get("eventTypes").toString()) : null;
        return new Params(instant(n, "since"), instant(n, "until"), types, n.path("channel").asText(null),
                n.path("tag").asText(null), n.hasNonNull("status") ? n.get("status").asInt() : null,
                n.hasNonNull("statusCodeClass") ? n.get("statusCodeClass").asInt() : null);
    }

    private static Instant instant(ObjectNode n, String field) {
        return n.hasNonNull(field) ? Instant.parse(n.get(field).asText()) : null;
    }

    private static BackgroundTask map(ResultSet rs) throws SQLException {
        return new BackgroundTask(rs.getString("id"), Kind.ofWire(rs.getString("task")),
                Status.ofWire(rs.getString("status")), rs.getString("app_id"), rs.getString("endpoint_id"),
                params(rs.getString("params")), rs.getString("cursor"), rs.getLong("scanned"), rs.getLong("scheduled"),
                rs.getString("error"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
