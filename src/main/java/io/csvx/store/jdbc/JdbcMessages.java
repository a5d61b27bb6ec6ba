package io.csvx.store.jdbc;

import io.csvx.message.DeliveryState;
import io.csvx.message.Message;
import io.csvx.message.MessageStore;
import io.csvx.store.Db;
import io.csvx.store.Ids;
import io.csvx.store.Sealer;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

final class JdbcMessages implements MessageStore {
    static final String COLUMNS = "m.id, m.app_id, m.event_type, m.event_id, m.channels, m.tags, m.payload, m.created_at, m.expires_at,"
            + " m.deliver_at, m.ordering_key";
    static final String DELIVERY_COLUMNS = "d.msg_id, d.endpoint_id, d.status, d.attempts, d.next_attempt_at, d.lease_owner";
    private final Db db;
    private final Sealer sealer;

    JdbcMessages(Db db, Sealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    @Override
    public void publish(Message m, List<String> endpointIds, java.util.Set<String> leased,
                        java.util.Set<String> ordered, String leaseOwner, Instant leaseUntil, Answer answer) {
        db.write(c -> {
            // the key first: a repeat stops here, before anything of it is written
            if (answer != null && Sql.update(c, "INSERT INTO idempotency (scope_key, status, body, created_at)"
                    + " VALUES (?,?,?,?) ON CONFLICT (scope_key) DO NOTHING", answer.key(), answer.status(),
                    answer.body(), answer.at()) == 0) {
                throw new KeyTaken(answer.key());
            }
            Sql.update(c, "INSERT INTO message (id, app_id, event_type, event_id, channels, tags, payload, created_at,"
                            + " expires_at, deliver_at, ordering_key) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    m.id(), m.appId(), m.eventType(), m.eventId(), Sql.json(m.channels()), Sql.json(m.tags()),
                    m.payload(), m.timestamp(), m.expiresAt(), m.deliverAt(), m.orderingKey());
            if (endpointIds.isEmpty()) {
                return null;
            }
            // ordered deliveries join their endpoint's line for the key: due only at its head
            java.util.Map<String, KeyLines.Place> places = new java.util.HashMap<>();
            if (m.orderingKey() != null && !ordered.isEmpty()) {
                List<KeyLines.Line> lines = endpointIds.stream().filter(ordered::contains)
                        .map(id -> new KeyLines.Line(id, m.orderingKey())).toList();
                KeyLines.lock(db, c, lines);
                for (KeyLines.Line line : lines) {
                    places.put(line.endpointId(), KeyLines.join(c, line));
                }
            }
            Instant due = m.deliverAt() != null ? m.deliverAt() : m.timestamp();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery (msg_id, endpoint_id, app_id, status,"
                    + " attempts, trigger_type, next_attempt_at, lease_owner, created_at, updated_at, ordering_key,"
                    + " ordering_seq) VALUES (?,?,?,1,0,0,?,?,?,?,?,?)")) {
                for (String endpointId : endpointIds) {
                    KeyLines.Place place = places.get(endpointId);
                    boolean claimed = place == null && leaseOwner != null && leased.contains(endpointId);
                    Instant next = claimed ? leaseUntil : place != null && place.waits() ? null : due;
                    Sql.bind(ps, m.id(), endpointId, m.appId(), next, claimed ? leaseOwner : null,
                            m.timestamp(), m.timestamp(), place == null ? null : m.orderingKey(),
                            place == null ? null : place.seq());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Optional<Message> find(String appId, String idOrEventId) {
        return Sql.byIdOr(db, "SELECT " + COLUMNS + " FROM message m WHERE m.app_id = ?", "m.id", "m.event_id", idOrEventId,
                JdbcMessages::map, appId);
    }

    @Override
    public Page<Message> list(String appId, PageRequest page, Filter filter) {
        List<Object> params = new ArrayList<>(List.of(appId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM message m WHERE m.app_id = ?");
        appendFilter(sql, params, filter);
        return Sql.page(db, sql, params, "m.id", page, JdbcMessages::map, Message::id);
    }

    static void appendFilter(StringBuilder sql, List<Object> params, Filter f) {
        // channels and tags hold neither quotes, backslashes nor '%' (the API checks them on the
        // way in and in queries); with '_' escaped, matching the quoted name in the JSON text is exact
        if (f.channels() != null && !f.channels().isEmpty()) {
            sql.append(" AND (").append(String.join(" OR ", java.util.Collections.nCopies(f.channels().size(),
                    "m.channels LIKE ? ESCAPE '\\'"))).append(")");
            f.channels().forEach(c -> params.add(quotedLike(c)));
        }
        if (f.tag() != null) {
            sql.append(" AND m.tags LIKE ? ESCAPE '\\'");
            params.add(quotedLike(f.tag()));
        }
        if (f.eventTypes() != null && !f.eventTypes().isEmpty()) {
            sql.append(" AND m.event_type IN (").append("?,".repeat(f.eventTypes().size() - 1)).append("?)");
            params.addAll(f.eventTypes());
        }
        // a message's id carries the time it was made, read from the same clock as its created_at
        // a moment apart: bounding the id too (a second of slack) lets the (app_id, id) index seek
        // to the range instead of walking every newer message
        if (f.before() != null) {
            sql.append(" AND m.created_at < ? AND m.id < ?");
            params.add(f.before());
            params.add(Ids.floor("msg_", f.before().plusSeconds(1)));
        }
        if (f.after() != null) {
            sql.append(" AND m.created_at > ? AND m.id >= ?");
            params.add(f.after());
            params.add(Ids.floor("msg_", f.after().minusSeconds(1)));
        }
    }

    /// A LIKE pattern matching `"name"` anywhere in a JSON list's text.
    private static String quotedLike(String name) {
        return "%\"" + name.replace("_", "\\_") + "\"%";
    }

    @Override
    public List<Message> findAll(String appId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.of(appId));
        params.addAll(ids);
        return db.read(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM message m WHERE m.app_id = ? AND m.id IN ("
                + "?,".repeat(ids.size() - 1) + "?)", JdbcMessages::map, params.toArray()));
    }

    @Override
    public List<Destination> destinations(String msgId, Instant now) {
        return db.read(c -> Sql.query(c, "SELECT " + JdbcEndpoints.COLUMNS + ", " + DELIVERY_COLUMNS
                        + " FROM delivery_all d JOIN endpoint e ON e.id = d.endpoint_id WHERE d.msg_id = ? ORDER BY e.id",
                rs -> new Destination(JdbcEndpoints.map(rs, sealer), state(rs, now)), msgId));
    }

    @Override
    public Page<EndpointMessage> byEndpoint(String endpointId, PageRequest page, Integer status, Filter filter,
                                            Instant now) {
        List<Object> params = new ArrayList<>(List.of(endpointId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", " + DELIVERY_COLUMNS
                + " FROM delivery_all d JOIN message m ON m.id = d.msg_id WHERE d.endpoint_id = ?");
        if (status != null) {
            sql.append(" AND d.status = ?");
            params.add(status == DeliveryState.SENDING ? DeliveryState.PENDING : status);
        }
        appendFilter(sql, params, filter);
        return Sql.page(db, sql, params, "d.msg_id", page, rs -> new EndpointMessage(map(rs), state(rs, now)),
                em -> em.message().id());
    }

    @Override
    public void expungePayload(String appId, String msgId) {
        db.write(c -> Sql.update(c, "UPDATE message SET payload = '{}' WHERE app_id = ? AND id = ?", appId, msgId));
    }

    @Override
    public Expunged expungeExpired(Instant now, Instant createdBefore, String after, int limit) {
        // a range of the primary key a batch: no index on either time, and no scan of the whole table
        return db.write(c -> {
            Expunged range = Sql.one(c, "SELECT COUNT(*), MAX(id) FROM (SELECT id FROM message WHERE id > ?"
                    + " ORDER BY id LIMIT ?) s", rs -> new Expunged(rs.getInt(1), 0, rs.getString(2)), after, limit)
                    .orElseThrow();
            if (range.looked() == 0) {
                return new Expunged(0, 0, after);
            }
            int expunged = Sql.update(c, "UPDATE message SET payload = '{}' WHERE id > ? AND id <= ?"
                    + " AND (expires_at < ? OR created_at < ?) AND payload <> '{}'", after, range.last(), now,
                    createdBefore);
            return new Expunged(range.looked(), expunged, range.last());
        });
    }

    static DeliveryState state(ResultSet rs, Instant now) throws SQLException {
        int status = rs.getInt("status");
        Instant next = Sql.instant(rs, "next_attempt_at");
        boolean leased = rs.getString("lease_owner") != null && next != null && next.isAfter(now);
        if (status == DeliveryState.PENDING && leased) {
            return new DeliveryState(rs.getString("msg_id"), rs.getString("endpoint_id"), DeliveryState.SENDING,
                    rs.getInt("attempts"), null);
        }
        return new DeliveryState(rs.getString("msg_id"), rs.getString("endpoint_id"), status, rs.getInt("attempts"),
                status == DeliveryState.PENDING ? next : null);
    }

    static Message map(ResultSet rs) throws SQLException {
        return new Message(rs.getString("id"), rs.getString("app_id"), rs.getString("event_type"),
                rs.getString("event_id"), Sql.stringList(rs.getString("channels")), Sql.stringList(rs.getString("tags")),
                rs.getString("payload"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "deliver_at"),
                rs.getString("ordering_key"));
    }
}
