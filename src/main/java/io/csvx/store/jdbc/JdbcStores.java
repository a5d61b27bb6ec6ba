package io.csvx.store.jdbc;

import io.csvx.store.Db;
import io.csvx.store.Ids;
import java.time.Instant;

/// Builds every store over one [Db] with portable SQL.
public final class JdbcStores {
    private JdbcStores() {
    }

    public static Stores create(Db db, Ids ids) {
        return new Stores(db, new JdbcApps(db), new JdbcEndpoints(db), new JdbcEventTypes(db), new JdbcMessages(db),
                new JdbcQueue(db), new JdbcAttempts(db), new JdbcIdempotency(db),
                (type, appId, endpointId, data) -> db.writeAsync(c -> Sql.update(c,
                        "INSERT INTO operational_event (id, type, app_id, endpoint_id, data, created_at) VALUES (?,?,?,?,?,?)",
                        ids.next("opev_"), type, appId, endpointId, data, Instant.now())),
                new JdbcFiles(db), new JdbcPipelines(db), new JdbcJobs(db), new JdbcSources(db), new JdbcBlobs(db));
    }
}
