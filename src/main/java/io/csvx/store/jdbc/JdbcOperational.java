package io.csvx.store.jdbc;

import io.csvx.delivery.OperationalEvents;
import io.csvx.store.Db;
import io.csvx.store.Ids;
import java.time.Instant;

final class JdbcOperational implements OperationalEvents {
    private final Db db;
    private final Ids ids;

    JdbcOperational(Db db, Ids ids) {
        this.db = db;
        this.ids = ids;
    }

    @Override
    public void record(String type, String appId, String endpointId, String dataJson) {
        db.writeAsync(c -> Sql.update(c,
                "INSERT INTO operational_event (id, type, app_id, endpoint_id, data, created_at) VALUES (?,?,?,?,?,?)",
                ids.next("opev_"), type, appId, endpointId, dataJson, Instant.now()));
    }

    @Override
    public int purge(Instant before) {
        return db.write(c -> Sql.update(c, "DELETE FROM operational_event WHERE created_at < ?", before));
    }
}
