package io.csvx.store.jdbc;

import io.csvx.delivery.Attempt;
import io.csvx.delivery.DeliveryQueue;
import io.csvx.message.DeliveryState;
import io.csvx.store.Db;
import io.csvx.store.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/// The delivery queue in portable SQL. Claiming selects then updates inside one write
/// transaction: exclusive on SQLite's single writer, skipping rows other nodes hold on PostgreSQL.
final class JdbcQueue implements DeliveryQueue {
    private final Db db;

    JdbcQueue(Db db) {
        this.db = db;
        db.churning("delivery"); // each delivery is inserted, leased and deleted within moments
    }

    /// How many of the oldest due rows a claim looks at, per row it claims: it takes turns
    /// between the endpoints among them.
    private static final int WINDOW = 8;
    /// The most endpoints one claim's sweep visits.
    private static final int SWEEP = 32;

    /// Where the next sweep starts: after this endpoint id ("" from the first). This node's own;
    /// another node sweeps on its own.
    private final java.util.concurrent.atomic.AtomicReference<String> sweptTo =
            new java.util.concurrent.atomic.AtomicReference<>("");

    @Override
    public List<Claimed> claim(String owner, Instant now, Instant leaseUntil, int limit, int perEndpoint,
                               Collection<String> skip) {
        if (limit <= 0 || perEndpoint <= 0) {
            return List.of();
        }
        Db.Work<List<Claimed>> choose = c -> {
            Swept swept = sweep(c, now, Math.min(limit, SWEEP), perEndpoint, skip);
            // a sweep that visited every endpoint with pending work holds what a look by age would
            // add: each one's oldest due rows, as many as a claim may take of it
            List<ClaimTurns.Row> oldest = swept.everyEndpoint() ? List.of()
                    : oldest(c, now, (long) limit * WINDOW, skip);
            return fetch(c, ClaimTurns.pick(swept.rows(), oldest, limit, perEndpoint), now);
        };
        if (db.singleWriter()) {
            // chosen on a read connection, so that the writer (and every publish waiting for it)
            // is held only for the lease: a row that changed meanwhile fails the check again
            List<Claimed> chosen = db.read(choose);
            return chosen.isEmpty() ? chosen : db.write(c -> lease(c, chosen, owner, now, leaseUntil));
        }
        return db.write(c -> lease(c, choose.run(c), owner, null, leaseUntil));
    }

    /// The oldest `n` due rows of endpoints not skipped: the claim's first look, by age.
    private static List<ClaimTurns.Row> oldest(Connection c, Instant now, long n, Collection<String> skip)
            throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(now);
        StringBuilder sql = new StringBuilder("SELECT w.msg_id, w.endpoint_id, w.next_attempt_at FROM delivery w"
                + " JOIN endpoint e ON e.id = w.endpoint_id WHERE w.status = 1 AND w.next_attempt_at <= ? AND e.disabled = 0");
        if (!skip.isEmpty()) {
            sql.append(" AND w.endpoint_id NOT IN (").append("?,".repeat(skip.size() - 1)).append("?)");
            params.addAll(skip);
        }
        sql.append(" ORDER BY w.next_attempt_at LIMIT ").append(n);
        return Sql.query(c, sql.toString(), JdbcQueue::row, params.toArray());
    }

    /// What a sweep found: the rows, and whether it visited every endpoint with pending deliveries.
    private record Swept(List<ClaimTurns.Row> rows, boolean everyEndpoint) {
    }

    /// The sweep: the next `visits` endpoints with pending deliveries after where the last sweep
    /// stopped (from the start again past the last), each skipped, disabled or not due one
    /// contributing nothing, the others their `perEndpoint` oldest due rows. Every endpoint with
    /// due work so gets its turn, however much older another's backlog is.
    private Swept sweep(Connection c, Instant now, int visits, int perEndpoint,
                        Collection<String> skip) throws SQLException {
        String from = sweptTo.get();
        List<String> visited = new ArrayList<>(endpointsAfter(c, from, visits));
        if (visited.size() < visits && !from.isEmpty()) {
            // past the last: on from the first, up to the first visited already
            for (String id : endpointsAfter(c, "", visits - visited.size())) {
                if (visited.contains(id)) {
                    break;
                }
                visited.add(id);
            }
        }
        sweptTo.compareAndSet(from, visited.isEmpty() ? "" : visited.getLast());
        // fewer than asked for: the walk ran out of endpoints, or came round to the first it visited
        boolean every = visited.size() < visits;
        List<String> wanted = visited.stream().filter(id -> !skip.contains(id)).toList();
        if (wanted.isEmpty()) {
            return new Swept(List.of(), every);
        }
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (String endpointId : wanted) {
            sql.append(sql.isEmpty() ? "" : " UNION ALL ").append("SELECT * FROM (SELECT d.msg_id, d.endpoint_id,"
                    + " d.next_attempt_at FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id WHERE d.endpoint_id = ?"
                    + " AND d.next_attempt_at <= ? AND e.disabled = 0 ORDER BY d.next_attempt_at LIMIT ?) s")
                    .append(params.size());
            params.addAll(List.of(endpointId, now, perEndpoint));
        }
        return new Swept(Sql.query(c, sql.toString(), JdbcQueue::row, params.toArray()), every);
    }

    /// Up to `n` endpoint ids with pending deliveries after `from`, in order: a loose index scan,
    /// one seek per endpoint however many deliveries each has.
    private static List<String> endpointsAfter(Connection c, String from, int n) throws SQLException {
        return Sql.query(c, "WITH RECURSIVE ep(id, n) AS ("
                + " SELECT (SELECT MIN(endpoint_id) FROM delivery WHERE endpoint_id > ?), 1"
                + " UNION ALL SELECT (SELECT MIN(d.endpoint_id) FROM delivery d WHERE d.endpoint_id > ep.id), ep.n + 1"
                + " FROM ep WHERE ep.id IS NOT NULL AND ep.n < ?) SELECT id FROM ep WHERE id IS NOT NULL",
                rs -> rs.getString(1), from, n);
    }

    private static ClaimTurns.Row row(java.sql.ResultSet rs) throws SQLException {
        return new ClaimTurns.Row(rs.getString(1), rs.getString(2), rs.getLong(3));
    }

    /// The picked rows whole, with their messages; each checked again on the row itself, once
    /// locked (another node may have claimed it meanwhile).
    private List<Claimed> fetch(Connection c, List<ClaimTurns.Row> picked, Instant now) throws SQLException {
        if (picked.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        for (ClaimTurns.Row r : picked) {
            params.add(r.msgId());
            params.add(r.endpointId());
        }
        params.add(now);
        return Sql.query(c, fetchSql(picked.size(), db), rs -> new Claimed(JdbcMessages.map(rs),
                rs.getString("endpoint_id"), rs.getInt("attempts"), rs.getInt("trigger_type"),
                rs.getString("line_key")), params.toArray());
    }

    /// The fetch of `n` picked rows: their (message id, endpoint id) pairs, then the time due by.
    ///
    /// Where rows are locked (several nodes), each pair is looked up and locked by its key, pairs
    /// first, with the status and due time hidden from their index (`+ 0`). Written as one join,
    /// PostgreSQL's planner could start from the due index instead and compare every due row with
    /// every pair: the queue's statistics are always behind its churn (taken while its rows were
    /// leased, due later, the due ones looked like one), and with tens of thousands queued in a
    /// burst, such claims took 0.2 to 3.9 s.
    static String fetchSql(int n, Db db) {
        String pairs = "(VALUES " + "(?,?),".repeat(n - 1) + "(?,?))";
        String columns = JdbcMessages.COLUMNS + ", d.endpoint_id, d.attempts, d.trigger_type, ";
        if (db.singleWriter()) {
            return "SELECT " + columns + "d.ordering_key AS line_key FROM delivery d JOIN message m ON m.id = d.msg_id"
                    + " WHERE (d.msg_id, d.endpoint_id) IN " + pairs + " AND d.status = 1 AND d.next_attempt_at <= ?"
                    + " ORDER BY d.next_attempt_at";
        }
        return "SELECT " + columns + "d.line_key FROM " + pairs + " AS v (msg_id, endpoint_id)"
                + " CROSS JOIN LATERAL (SELECT d.msg_id, d.endpoint_id, d.attempts, d.trigger_type,"
                + " d.ordering_key AS line_key, d.next_attempt_at FROM delivery d"
                + " WHERE d.msg_id = v.msg_id AND d.endpoint_id = v.endpoint_id AND d.status + 0 = 1"
                + " AND d.next_attempt_at + 0 <= ?" + db.skipLocked("d") + ") d"
                + " JOIN message m ON m.id = d.msg_id ORDER BY d.next_attempt_at";
    }

    /// Leases `chosen` to `owner`; with `dueBy`, only those still pending and due by then (the
    /// others are left out of the answer).
    private static List<Claimed> lease(Connection c, List<Claimed> chosen, String owner, Instant dueBy,
                                       Instant leaseUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET lease_owner = ?, next_attempt_at = ?"
                + " WHERE msg_id = ? AND endpoint_id = ?"
                + (dueBy == null ? "" : " AND status = 1 AND next_attempt_at <= ?"))) {
            for (Claimed d : chosen) {
                if (dueBy == null) {
                    Sql.bind(ps, owner, leaseUntil, d.message().id(), d.endpointId());
                } else {
                    Sql.bind(ps, owner, leaseUntil, d.message().id(), d.endpointId(), dueBy);
                }
                ps.addBatch();
            }
            int[] changed = ps.executeBatch();
            if (dueBy == null) {
                return chosen;
            }
            List<Claimed> leased = new ArrayList<>(chosen.size());
            for (int i = 0; i < chosen.size(); i++) {
                if (changed[i] > 0 || changed[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                    leased.add(chosen.get(i));
                }
            }
            return leased;
        }
    }

    @Override
    public CompletableFuture<Written> record(List<Outcome> outcomes) {
        boolean oneStatement = db.movesRowsInOneStatement();
        CompletableFuture<Written> written = db.writeAsync(c -> {
            try (PreparedStatement attempt = c.prepareStatement("INSERT INTO attempt (id, msg_id, endpoint_id, app_id,"
                    + " url, status, status_code, response, duration_ms, error, trigger_type, created_at)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
                 PreparedStatement retry = c.prepareStatement("UPDATE delivery SET attempts = attempts + 1,"
                         + " next_attempt_at = ?, lease_owner = NULL, updated_at = ?"
                         + " WHERE msg_id = ? AND endpoint_id = ? AND status = 1");
                 // a finished delivery moves out of the queue table, which so holds only pending work: in
                 // one statement where the backend can (`dequeue` alone; its count is 1 when the row left)
                 PreparedStatement finish = oneStatement ? null : c.prepareStatement("INSERT INTO"
                         + " delivery_done (msg_id, endpoint_id, app_id, status, attempts, trigger_type, created_at,"
                         + " updated_at) SELECT msg_id, endpoint_id, app_id, ?, attempts + 1, trigger_type, created_at, ?"
                         + " FROM delivery WHERE msg_id = ? AND endpoint_id = ?"
                         + " ON CONFLICT (msg_id, endpoint_id) DO UPDATE SET status = excluded.status,"
                         + " attempts = excluded.attempts, updated_at = excluded.updated_at");
                 PreparedStatement dequeue = c.prepareStatement(oneStatement
                         ? "WITH d AS (DELETE FROM delivery WHERE msg_id = ? AND endpoint_id = ? RETURNING msg_id,"
                                 + " endpoint_id, app_id, attempts, trigger_type, created_at) INSERT INTO delivery_done"
                                 + " (msg_id, endpoint_id, app_id, status, attempts, trigger_type, created_at, updated_at)"
                                 + " SELECT msg_id, endpoint_id, app_id, ?, attempts + 1, trigger_type, created_at, ?"
                                 + " FROM d ON CONFLICT (msg_id, endpoint_id) DO UPDATE SET status = excluded.status,"
                                 + " attempts = excluded.attempts, updated_at = excluded.updated_at"
                         : "DELETE FROM delivery WHERE msg_id = ? AND endpoint_id = ?")) {
                for (Outcome o : outcomes) {
                    Attempt a = o.attempt();
                    Sql.bind(attempt, a.id(), a.msgId(), a.endpointId(), a.appId(), a.url(), a.status(), a.statusCode(),
                            a.response(), a.durationMs(), a.error(), a.triggerType(), a.timestamp());
                    attempt.addBatch();
                    if (o.nextAttempt() != null) {
                        Sql.bind(retry, o.nextAttempt(), a.timestamp(), a.msgId(), a.endpointId());
                        retry.addBatch();
                    } else if (oneStatement) {
                        Sql.bind(dequeue, a.msgId(), a.endpointId(), o.finalStatus(), a.timestamp());
                        dequeue.addBatch();
                    } else {
                        Sql.bind(finish, o.finalStatus(), a.timestamp(), a.msgId(), a.endpointId());
                        finish.addBatch();
                        Sql.bind(dequeue, a.msgId(), a.endpointId());
                        dequeue.addBatch();
                    }
                }
                attempt.executeBatch();
                retry.executeBatch();
                if (!oneStatement) {
                    finish.executeBatch();
                }
                int[] dequeued = dequeue.executeBatch();
                int promoted = moveOn(c, outcomes, dequeued);
                return new Written(health(c, outcomes), promoted);
            }
        });
        return written.thenApply(w -> {
            if (w.promoted() > 0) {
                db.announceWork(); // another node may take the line's next delivery
            }
            return w;
        });
    }

    /// Lets the next delivery of each line go whose head this batch ended (delivered, or failed
    /// for good where the key does not block), or blocks the line. Only an outcome that took its
    /// row out of the queue counts: a repeat of a delivery already recorded (its lease ran out
    /// mid-request and another node sent it too) must not move the line on twice.
    private int moveOn(Connection c, List<Outcome> outcomes, int[] dequeued) throws SQLException {
        List<Outcome> finishing = outcomes.stream().filter(o -> o.nextAttempt() == null).toList();
        Map<KeyLines.Line, Outcome> ended = new java.util.LinkedHashMap<>();
        for (int i = 0; i < finishing.size(); i++) {
            Outcome o = finishing.get(i);
            if (o.orderingKey() != null && (dequeued[i] > 0 || dequeued[i] == java.sql.Statement.SUCCESS_NO_INFO)) {
                ended.put(new KeyLines.Line(o.attempt().endpointId(), o.orderingKey()), o);
            }
        }
        if (ended.isEmpty()) {
            return 0;
        }
        KeyLines.lock(db, c, ended.keySet());
        int promoted = 0;
        for (var e : ended.entrySet()) {
            Outcome o = e.getValue();
            Instant at = o.attempt().timestamp();
            if (o.finalStatus() == DeliveryState.FAIL && o.blockOnFailure()) {
                KeyLines.block(c, e.getKey(), o.attempt().msgId(), at);
            } else if (KeyLines.promote(c, e.getKey(), at)) {
                promoted++;
            }
        }
        return promoted;
    }

    /// Tracks how long each endpoint has been failing; returns the endpoints these outcomes disabled.
    ///
    /// A batch sets each endpoint's health from its outcomes for the endpoint in their order:
    /// healthy after a success, failing since the first failure after the last success (a
    /// recovered endpoint is not disabled for failures before it). Only a change costs a write,
    /// stamped with the latest outcome's time: two batches written at once may commit in either
    /// order, and a change from the older leaves alone a change the newer made. (A newer batch that
    /// changed nothing leaves no stamp: an older failure is then kept from marking the endpoint
    /// failing by the newer success's attempt. Stamping every batch made the two batches wait
    /// for each other on the endpoint's row, and ordered deliveries on PostgreSQL slower by a
    /// quarter.) Endpoints are visited in the order of their ids, so that such batches
    /// lock endpoint rows in one order and cannot deadlock.
    private static List<String> health(Connection c, List<Outcome> outcomes) throws SQLException {
        Map<String, Health> byEndpoint = new java.util.TreeMap<>();
        for (Outcome o : outcomes) {
            byEndpoint.computeIfAbsent(o.attempt().endpointId(), id -> new Health()).add(o);
        }
        List<String> disabled = new ArrayList<>();
        try (PreparedStatement healthy = c.prepareStatement("UPDATE endpoint SET failing_since = NULL, health_at = ?"
                + " WHERE id = ? AND failing_since IS NOT NULL AND (health_at IS NULL OR health_at <= ?)");
             // failing since the run's first failure: from now on if it was healthy, or afresh when a
             // success in this batch came before the run; not when a newer batch already recorded a
             // success (on a healthy endpoint that batch changed nothing, so left no stamp): its
             // attempt is found by its id, made after it started, so only the few attempts made
             // since this batch's latest outcome are looked at, and only when the rest holds
             PreparedStatement failing = c.prepareStatement("UPDATE endpoint SET failing_since = ?, health_at = ?"
                     + " WHERE id = ? AND (failing_since IS NULL OR ? = 1) AND (health_at IS NULL OR health_at <= ?)"
                     + " AND NOT EXISTS (SELECT 1 FROM attempt a WHERE a.endpoint_id = endpoint.id AND a.id >= ?"
                     + " AND a.created_at > ? AND a.status = " + DeliveryState.SUCCESS + ")");
             PreparedStatement gone = c.prepareStatement(
                     "UPDATE endpoint SET disabled = 1, updated_at = ? WHERE id = ? AND disabled = 0");
             PreparedStatement tooLong = c.prepareStatement("UPDATE endpoint SET disabled = 1, updated_at = ?"
                     + " WHERE id = ? AND disabled = 0 AND failing_since IS NOT NULL AND failing_since <= ?")) {
            for (var e : byEndpoint.entrySet()) {
                String id = e.getKey();
                Health h = e.getValue();
                if (h.failingSince == null) {
                    Sql.bind(healthy, h.latest, id, h.latest);
                    healthy.executeUpdate();
                } else {
                    Sql.bind(failing, h.failingSince, h.latest, id, h.answeredBefore ? 1 : 0, h.latest,
                            Ids.floor(Attempt.ID_PREFIX, h.latest), h.latest);
                    failing.executeUpdate();
                }
                if (h.gone != null) {
                    Sql.bind(gone, h.gone.timestamp(), id);
                } else if (h.failingSince != null) {
                    Sql.bind(tooLong, h.last.attempt().timestamp(), id, h.last.failingCutoff());
                } else {
                    continue;
                }
                if ((h.gone != null ? gone : tooLong).executeUpdate() > 0) {
                    disabled.add(id);
                }
            }
        }
        return disabled;
    }

    /// One endpoint's health after a batch's outcomes for it, in their order.
    private static final class Health {
        Instant latest;
        /// The first failure after the last success; null when the last outcome was a success.
        Instant failingSince;
        /// Whether a success came before the failures since `failingSince`.
        boolean answeredBefore;
        /// The last outcome.
        Outcome last;
        /// The first attempt answered 410 Gone, if any.
        Attempt gone;

        void add(Outcome o) {
            Attempt a = o.attempt();
            latest = latest == null || a.timestamp().isAfter(latest) ? a.timestamp() : latest;
            last = o;
            if (a.status() == DeliveryState.SUCCESS) {
                failingSince = null;
                answeredBefore = true;
            } else if (failingSince == null) {
                failingSince = a.timestamp();
            }
            if (o.gone() && gone == null) {
                gone = a;
            }
        }
    }

    @Override
    public void release(String owner, List<Claimed> claimed, Instant now) {
        if (claimed.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET lease_owner = NULL, next_attempt_at = ?"
                    + " WHERE msg_id = ? AND endpoint_id = ? AND lease_owner = ? AND status = 1")) {
                for (Claimed d : claimed) {
                    Sql.bind(ps, now, d.message().id(), d.endpointId(), owner);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void resend(String msgId, String endpointId, String appId, Instant now) {
        db.write(c -> {
            if (KeyLines.unblockWith(db, c, msgId, endpointId, appId, now).isPresent()) {
                return 1;
            }
            // a delivery waiting in its key's line keeps waiting: only the line's head may go
            return Sql.update(c, "DELETE FROM delivery_done WHERE msg_id = ? AND endpoint_id = ?", msgId, endpointId)
                    + Sql.update(c, "INSERT INTO delivery (msg_id, endpoint_id, app_id, status, attempts, trigger_type,"
                            + " next_attempt_at, lease_owner, created_at, updated_at) VALUES (?,?,?,1,0,1,?,NULL,?,?)"
                            + " ON CONFLICT (msg_id, endpoint_id) DO UPDATE SET status = 1, attempts = 0, trigger_type = 1,"
                            + " next_attempt_at = CASE WHEN delivery.next_attempt_at IS NULL THEN NULL"
                            + " ELSE excluded.next_attempt_at END, lease_owner = NULL, updated_at = excluded.updated_at",
                    msgId, endpointId, appId, now, now, now);
        });
    }

    @Override
    public int purgeFinished(Instant before, int limit) {
        return db.write(c -> Sql.update(c, "DELETE FROM delivery_done WHERE (msg_id, endpoint_id) IN (SELECT msg_id,"
                + " endpoint_id FROM delivery_done WHERE updated_at < ? LIMIT ?)", before, limit));
    }

    @Override
    public Depth depth(Instant now) {
        // what a claim could take: a disabled endpoint's deliveries (a deleted application's
        // included) wait for it to be enabled, and would hold the oldest due age up for ever
        return db.read(c -> Sql.one(c, "SELECT COUNT(*) AS due, MIN(next_attempt_at) AS oldest FROM delivery"
                        + " WHERE status = 1 AND next_attempt_at <= ?"
                        + " AND endpoint_id NOT IN (SELECT id FROM endpoint WHERE disabled = 1)",
                rs -> new Depth(rs.getLong(1), Sql.instant(rs, "oldest")), now)).orElse(new Depth(0, null));
    }

    @Override
    public List<Row> list(Listing which, Instant now, int limit) {
        String pending = "SELECT app_id, msg_id, endpoint_id, attempts, next_attempt_at AS at FROM delivery WHERE status = 1";
        String done = "SELECT app_id, msg_id, endpoint_id, attempts, updated_at AS at FROM delivery_done WHERE status = ";
        Sql.RowMapper<Row> map = rs -> new Row(rs.getString("app_id"), rs.getString("msg_id"), rs.getString("endpoint_id"),
                rs.getInt("attempts"), Sql.instant(rs, "at"));
        return db.read(c -> switch (which) {
            case DUE -> Sql.query(c, pending + " AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?", map, now,
                    limit);
            case RETRYING -> Sql.query(c, pending + " AND attempts > 0 ORDER BY next_attempt_at LIMIT ?", map, limit);
            case DELIVERED -> Sql.query(c, done + "0 ORDER BY updated_at DESC LIMIT ?", map, limit);
            case FAILED -> Sql.query(c, done + "2 ORDER BY updated_at DESC LIMIT ?", map, limit);
        });
    }
}
