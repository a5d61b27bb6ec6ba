package io.csvx.store.jdbc;

import io.csvx.store.Db;
import io.csvx.store.Ids;

/// Builds every store over one [Db] with portable SQL.
public final class JdbcStores {
    private JdbcStores() {
    }

    public static Stores create(Db db, Ids ids) {
        return new Stores(db, new JdbcApps(db), new JdbcEndpoints(db), new JdbcEventTypes(db), new JdbcMessages(db),
                new JdbcQueue(db), new JdbcAttempts(db), new JdbcIdempotency(db),
                new JdbcOperational(db, ids),
                new JdbcFiles(db), new JdbcPipelines(db), new JdbcJobs(db), new JdbcSources(db), new JdbcBlobs(db));
    }
}
