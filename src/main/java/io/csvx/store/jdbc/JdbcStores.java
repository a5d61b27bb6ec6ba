package io.csvx.store.jdbc;

import io.csvx.store.Db;
import io.csvx.store.Ids;
import io.csvx.store.Sealer;
import io.csvx.store.StoreException;
import java.util.List;

/// Builds every store over one [Db] with portable SQL, its secrets sealed by `sealer`.
public final class JdbcStores {
    /// What the `store_key` row holds, sealed: it opens only with the key the secrets were sealed with.
    private static final String CHECK = "csvx-key-check";

    private JdbcStores() {
    }

    /// The stores, after checking that `sealer`'s key is the database's and sealing what was kept
    /// in plain text before sealing began.
    public static Stores create(Db db, Ids ids, Sealer sealer) {
        checkKey(db, sealer);
        sealPlaintext(db, sealer);
        return new Stores(db, new JdbcApps(db), new JdbcEndpoints(db, sealer), new JdbcEventTypes(db),
                new JdbcMessages(db, sealer), new JdbcQueue(db), new JdbcAttempts(db), new JdbcIdempotency(db),
                new JdbcOperational(db, ids), new JdbcFiles(db), new JdbcPipelines(db), new JdbcJobs(db),
                new JdbcSources(db, sealer), new JdbcBlobs(db));
    }

    /// The first node to start seals the check value; every node after it must open it, or it
    /// would sign with secrets it cannot read.
    private static void checkKey(Db db, Sealer sealer) {
        db.write(c -> Sql.update(c, "INSERT INTO store_key (id, check_value) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
                sealer.seal(CHECK)));
        String sealed = db.read(c -> Sql.one(c, "SELECT check_value FROM store_key WHERE id = 1", rs -> rs.getString(1)))
                .orElseThrow();
        String opened;
        try {
            opened = sealer.open(sealed);
        } catch (StoreException.Unusable wrongKey) {
            opened = null;
        }
        if (!CHECK.equals(opened)) {
            db.close();
            throw new StoreException.Unusable("this node's encryption key is not the one the database's secrets were"
                    + " sealed with: start it with that key (--encryption-key, or the data dir's encryption-key file)",
                    null);
        }
    }

    /// Seals, in batches, secrets kept before sealing began: endpoint secrets and header values,
    /// source verifications. Safe to run again: what is sealed is left alone.
    private static void sealPlaintext(Db db, Sealer sealer) {
        record Column(String table, String key, String column) {
        }
        for (Column col : List.of(new Column("endpoint_secret", "endpoint_id", "secret"),
                new Column("endpoint", "id", "headers"), new Column("source", "id", "verification"))) {
            while (true) {
                List<String[]> plain = db.read(c -> Sql.query(c, "SELECT " + col.key() + ", " + col.column() + " FROM "
                        + col.table() + " WHERE " + col.column() + " NOT LIKE 'enc:v1:%' LIMIT 500",
                        rs -> new String[] {rs.getString(1), rs.getString(2)}));
                if (plain.isEmpty()) {
                    break;
                }
                db.write(c -> {
                    for (String[] row : plain) {
                        Sql.update(c, "UPDATE " + col.table() + " SET " + col.column() + " = ? WHERE " + col.key()
                                + " = ? AND " + col.column() + " = ?", sealer.seal(row[1]), row[0], row[1]);
                    }
                    return null;
                });
            }
        }
    }
}
