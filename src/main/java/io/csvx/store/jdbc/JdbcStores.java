package io.csvx.store.jdbc;

import io.csvx.store.Db;
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
    public static Stores create(Db db, Sealer sealer) {
        checkKey(db, sealer);
        sealPlaintext(db, sealer);
        return new Stores(db, new JdbcApps(db), new JdbcEndpoints(db, sealer), new JdbcEventTypes(db),
                new JdbcMessages(db, sealer), new JdbcQueue(db), new JdbcAttempts(db), new JdbcIdempotency(db),
                new JdbcFiles(db), new JdbcPipelines(db), new JdbcJobs(db),
                new JdbcSources(db, sealer), new JdbcBlobs(db), new JdbcAppTokens(db),
                new JdbcTasks(db), new JdbcReadings(db), new JdbcDatasets(db));
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

    /// The columns that hold sealed values, and a key expression unique to a row, which batches are
    /// ordered and updated by.
    private record Column(String table, String key, String column) {
    }

    private static final List<Column> SEALED = List.of(new Column("endpoint_secret",
                    "endpoint_id || '/' || CAST(created_at AS VARCHAR(20))", "secret"),
            new Column("endpoint", "id", "headers"), new Column("source", "id", "verification"));

    /// Seals, in batches, secrets kept before sealing began: endpoint secrets and header values,
    /// source verifications. Safe to run again: what is sealed is left alone.
    private static void sealPlaintext(Db db, Sealer sealer) {
        for (Column col : SEALED) {
            reseal(db, sealer, col, " NOT LIKE 'enc:v1:%'");
        }
    }

    /// Key rotation: every sealed value is opened (with the old key or, where an interrupted run
    /// got to it, the new) and sealed again with the new key, in batches of 500; then the check
    /// value. Safe to run again with the same keys. Nodes must be stopped meanwhile and started
    /// with the new key after. Answers how many values were sealed again.
    public static int rotateKey(Db db, Sealer rotating) {
        checkKey(db, rotating);
        int count = 0;
        for (Column col : SEALED) {
            count += reseal(db, rotating, col, " LIKE 'enc:v1:%'");
        }
        db.write(c -> Sql.update(c, "UPDATE store_key SET check_value = ? WHERE id = 1", rotating.seal(CHECK)));
        return count;
    }

    /// Seals again (with `sealer`'s key) the values of `col` that match `which`, batch by batch
    /// in key order, so each row is visited once even as its value changes.
    private static int reseal(Db db, Sealer sealer, Column col, String which) {
        int count = 0;
        String after = "";
        while (true) {
            String from = after;
            List<String[]> rows = db.read(c -> Sql.query(c, "SELECT " + col.key() + ", " + col.column() + " FROM "
                    + col.table() + " WHERE " + col.column() + which + " AND " + col.key() + " > ? ORDER BY " + col.key()
                    + " LIMIT 500", rs -> new String[] {rs.getString(1), rs.getString(2)}, from));
            if (rows.isEmpty()) {
                return count;
            }
            db.write(c -> {
                for (String[] row : rows) {
                    Sql.update(c, "UPDATE " + col.table() + " SET " + col.column() + " = ? WHERE " + col.key()
                            + " = ? AND " + col.column() + " = ?", sealer.seal(sealer.open(row[1])), row[0], row[1]);
                }
                return null;
            });
            count += rows.size();
            after = rows.getLast()[0];
        }
    }
}
