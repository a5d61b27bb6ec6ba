package io.csvx.bench;

import io.csvx.store.Db;
import io.csvx.store.Ids;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/// Rows written straight into a stopped node's database, for `csvx bench-wire` to measure
/// CSV-X with work behind it: messages delivered before (each with its attempt and finished
/// delivery at every endpoint), and a backlog of deliveries due at one moment. Ids are made as
/// [Ids] would have made them at the rows' times, so they sort as published ones do.
final class StoredHistory {
    private static final int BATCH = 20_000;

    private final Db db;
    private final Wire.Made app;
    private final Ids ids = new Ids();

    StoredHistory(Db db, Wire.Made app) {
        this.db = db;
        this.app = app;
    }

    /// `messages` messages published one a millisecond up to a second ago, each delivered at
    /// the first attempt to every endpoint.
    void delivered(int messages) {
        write(messages, 1_000, new Rows("INSERT INTO attempt (id, msg_id, endpoint_id, app_id, url, status, status_code,"
                + " response, duration_ms, error, trigger_type, created_at) VALUES (?,?,?,?,?,0,204,'',1,NULL,0,?)",
                "INSERT INTO delivery_done (msg_id, endpoint_id, app_id, status, attempts, trigger_type, created_at,"
                        + " updated_at) VALUES (?,?,?,0,1,0,?,?)") {
            @Override
            void add(PreparedStatement[] ps, String msgId, int endpoint, long at) throws SQLException {
                String endpointId = app.endpointIds().get(endpoint);
                bind(ps[0], ids.at(io.csvx.delivery.Attempt.ID_PREFIX, Instant.ofEpochMilli(at)), msgId, endpointId, app.appId(),
                        app.urls().get(endpoint), at + 1);
                bind(ps[1], msgId, endpointId, app.appId(), at, at + 1);
            }
        });
    }

    /// `messages` messages, each with a delivery to every endpoint that nobody holds, due at `due`.
    void due(int messages, Instant due) {
        write(messages, 0, new Rows("INSERT INTO delivery (msg_id, endpoint_id, app_id, status, attempts, trigger_type,"
                + " next_attempt_at, lease_owner, created_at, updated_at) VALUES (?,?,?,1,0,0,?,NULL,?,?)") {
            @Override
            void add(PreparedStatement[] ps, String msgId, int endpoint, long at) throws SQLException {
                bind(ps[0], msgId, app.endpointIds().get(endpoint), app.appId(), due, at, at);
            }
        });
    }

    /// The rows each message has at each endpoint: `add` binds one statement of each SQL.
    private abstract static class Rows {
        final String[] sql;

        Rows(String... sql) {
            this.sql = sql;
        }

        abstract void add(PreparedStatement[] ps, String msgId, int endpoint, long at) throws SQLException;
    }

    /// Writes `messages` messages made a millisecond apart, the last `ago` ms before now, with
    /// their `rows` at every endpoint, [#BATCH] messages a transaction.
    private void write(int messages, long ago, Rows rows) {
        long first = Instant.now().toEpochMilli() - ago - messages;
        for (int from = 0; from < messages; from += BATCH) {
            int count = Math.min(messages, from + BATCH) - from;
            int number = from;
            db.write(c -> {
                PreparedStatement[] ps = new PreparedStatement[rows.sql.length];
                try (PreparedStatement message = insertMessage(c)) {
                    for (int i = 0; i < ps.length; i++) {
                        ps[i] = c.prepareStatement(rows.sql[i]);
                    }
                    for (int i = 0; i < count; i++) {
                        long at = first + number + i;
                        String msgId = message(message, at, number + i);
                        for (int e = 0; e < app.endpointIds().size(); e++) {
                            rows.add(ps, msgId, e, at);
                            for (PreparedStatement p : ps) {
                                p.addBatch();
                            }
                        }
                    }
                    message.executeBatch();
                    for (PreparedStatement p : ps) {
                        p.executeBatch();
                    }
                } finally {
                    for (PreparedStatement p : ps) {
                        if (p != null) {
                            p.close();
                        }
                    }
                }
                return null;
            });
        }
    }

    private static PreparedStatement insertMessage(java.sql.Connection c) throws SQLException {
        return c.prepareStatement("INSERT INTO message (id, app_id, event_type, event_id, channels, tags, payload,"
                + " created_at, expires_at, deliver_at, ordering_key) VALUES (?,?,'bench',NULL,NULL,NULL,?,?,?,NULL,NULL)");
    }

    /// Adds message number `i` made at `at` to the batch; answers its id. Its payload is a
    /// published one's, `sent` its time, so that the receiver counts it.
    private String message(PreparedStatement message, long at, long i) throws SQLException {
        String id = ids.at("msg_", Instant.ofEpochMilli(at));
        bind(message, id, app.appId(), "{\"sent\":" + at * 1000 + ",\"i\":" + i
                + ",\"file\":\"orders.csv\",\"rows\":1200}", at, at + Duration.ofDays(90).toMillis());
        message.addBatch();
        return id;
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            switch (params[i]) {
                case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
                case Long n -> ps.setLong(i + 1, n);
                case Object o -> ps.setString(i + 1, o.toString());
            }
        }
    }
}
