package io.csvx.store.jdbc;

import io.csvx.dataset.Dataset;
import io.csvx.dataset.DatasetDiff;
import io.csvx.dataset.DatasetStore;
import io.csvx.dataset.DatasetVersion;
import io.csvx.dataset.Notify;
import io.csvx.job.Glob;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Datasets, versions and diffs in portable SQL. A version's number is the next after the
/// dataset's highest, taken in the inserting transaction under a lock on the dataset's row.
final class JdbcDatasets implements DatasetStore {
    private static final String COLUMNS = "id, app_id, uid, name, key_columns, match_glob, pipeline_id, notify, diff_format, created_at,"
            + " updated_at";
    private static final String VERSION = "dataset_id, version, file_id, rows_count, created_at";
    private static final String DIFF = "job_id, dataset_id, from_version, to_version, status, summary, diff_file,"
            + " significant, rule, error, created_at";
    private final Db db;

    JdbcDatasets(Db db) {
        this.db = db;
    }

    @Override
    public Dataset create(Dataset d) {
        db.write(c -> Sql.update(c, "INSERT INTO dataset (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)", d.id(), d.appId(),
                d.uid(), d.name(), Sql.json(d.key()), glob(d), d.pipelineId(), d.notifyRule().toJson().toString(), d.diffFormat(), d.createdAt(),
                d.updatedAt()));
        return d;
    }

    @Override
    public Optional<Dataset> find(String appId, String idOrUid) {
        return Sql.byIdOr(db, "SELECT " + COLUMNS + " FROM dataset WHERE app_id = ?", "id", "uid", idOrUid,
                JdbcDatasets::map, appId);
    }

    @Override
    public Page<Dataset> list(String appId, PageRequest page) {
        return Sql.page(db, new StringBuilder("SELECT " + COLUMNS + " FROM dataset WHERE app_id = ?"),
                new ArrayList<>(List.of(appId)), "id", page, JdbcDatasets::map, Dataset::id);
    }

    @Override
    public List<Dataset> all(String appId) {
        return db.read(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM dataset WHERE app_id = ? ORDER BY id",
                JdbcDatasets::map, appId));
    }

    @Override
    public Dataset update(Dataset d) {
        db.write(c -> Sql.update(c, "UPDATE dataset SET uid = ?, name = ?, key_columns = ?, match_glob = ?, pipeline_id = ?, notify = ?,"
                + " diff_format = ?, updated_at = ? WHERE app_id = ? AND id = ?", d.uid(), d.name(), Sql.json(d.key()),
                glob(d), d.pipelineId(), d.notifyRule().toJson().toString(), d.diffFormat(), d.updatedAt(), d.appId(), d.id()));
        return d;
    }

    @Override
    public boolean delete(String appId, String id) {
        return db.write(c -> {
            if (Sql.one(c, "SELECT id FROM dataset WHERE app_id = ? AND id = ?", rs -> rs.getString(1), appId, id).isEmpty()) {
                return false;
            }
            Sql.update(c, "DELETE FROM dataset_diff WHERE dataset_id = ?", id);
            Sql.update(c, "DELETE FROM dataset_version WHERE dataset_id = ?", id);
            return Sql.update(c, "DELETE FROM dataset WHERE id = ?", id) > 0;
        });
    }

    @Override
    public Optional<DatasetVersion> addVersion(String datasetId, String fileId, long rows, Instant now) {
        return db.write(c -> {
            // the dataset's row is locked first (a write that changes nothing), so that two nodes
            // adding versions at once take their numbers one after the other
            if (Sql.update(c, "UPDATE dataset SET updated_at = updated_at WHERE id = ?", datasetId) == 0) {
                return Optional.empty(); // deleted meanwhile
            }
            if (Sql.one(c, "SELECT version FROM dataset_version WHERE dataset_id = ? AND file_id = ?",
                    rs -> rs.getInt(1), datasetId, fileId).isPresent()) {
                return Optional.empty();
            }
            int next = Sql.one(c, "SELECT COALESCE(MAX(version), 0) + 1 FROM dataset_version WHERE dataset_id = ?",
                    rs -> rs.getInt(1), datasetId).orElse(1);
            Sql.update(c, "INSERT INTO dataset_version (" + VERSION + ") VALUES (?,?,?,?,?)", datasetId, next, fileId,
                    rows, now);
            return Optional.of(new DatasetVersion(datasetId, next, fileId, rows, now));
        });
    }

    @Override
    public Optional<DatasetVersion> version(String datasetId, int version) {
        return db.read(c -> Sql.one(c, "SELECT " + VERSION + " FROM dataset_version WHERE dataset_id = ? AND version = ?",
                JdbcDatasets::mapVersion, datasetId, version));
    }

    @Override
    public Page<DatasetVersion> versions(String datasetId, PageRequest page) {
        // the iterator is a version number, compared as one
        List<Object> params = new ArrayList<>(List.of(datasetId));
        StringBuilder sql = new StringBuilder("SELECT " + VERSION + " FROM dataset_version WHERE dataset_id = ?");
        if (page.iterator() != null) {
            sql.append(page.descending() ? " AND version < ?" : " AND version > ?");
            params.add(Integer.parseInt(page.iterator()));
        }
        sql.append(" ORDER BY version").append(page.descending() ? " DESC" : " ASC").append(" LIMIT ").append(page.limit() + 1);
        return Page.of(db.read(c -> Sql.query(c, sql.toString(), JdbcDatasets::mapVersion, params.toArray())), page.limit(),
                v -> Integer.toString(v.version()));
    }

    @Override
    public boolean recordDiff(DatasetDiff d) {
        return db.write(c -> Sql.update(c, "INSERT INTO dataset_diff (" + DIFF + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                        + " ON CONFLICT (job_id) DO NOTHING", d.jobId(), d.datasetId(), d.fromVersion(), d.toVersion(),
                d.status().wire(), d.summary(), d.diffFileId(), d.significant(), d.rule(), d.error(), d.createdAt())) == 1;
    }

    @Override
    public Optional<DatasetDiff> diff(String datasetId, int from, int to) {
        return db.read(c -> Sql.one(c, "SELECT " + DIFF + " FROM dataset_diff WHERE dataset_id = ? AND from_version = ?"
                + " AND to_version = ? AND status = 'completed' ORDER BY job_id DESC LIMIT 1", JdbcDatasets::mapDiff,
                datasetId, from, to));
    }

    @Override
    public Optional<DatasetDiff> diffByJob(String datasetId, String jobId) {
        return db.read(c -> Sql.one(c, "SELECT " + DIFF + " FROM dataset_diff WHERE dataset_id = ? AND job_id = ?",
                JdbcDatasets::mapDiff, datasetId, jobId));
    }

    @Override
    public Map<String, DatasetDiff> latestDiffs(String appId) {
        Map<String, DatasetDiff> latest = new HashMap<>();
        db.read(c -> Sql.query(c, "SELECT " + DIFF + " FROM dataset_diff d WHERE d.job_id = (SELECT MAX(x.job_id)"
                + " FROM dataset_diff x WHERE x.dataset_id = d.dataset_id) AND d.dataset_id IN"
                + " (SELECT id FROM dataset WHERE app_id = ?)", JdbcDatasets::mapDiff, appId))
                .forEach(d -> latest.put(d.datasetId(), d));
        return latest;
    }

    @Override
    public Page<DatasetDiff> diffs(String datasetId, PageRequest page) {
        return Sql.page(db, new StringBuilder("SELECT " + DIFF + " FROM dataset_diff WHERE dataset_id = ?"),
                new ArrayList<>(List.of(datasetId)), "job_id", page, JdbcDatasets::mapDiff, DatasetDiff::jobId);
    }

    private static Dataset map(ResultSet rs) throws SQLException {
        String glob = rs.getString("match_glob");
        return new Dataset(rs.getString("id"), rs.getString("app_id"), rs.getString("uid"), rs.getString("name"),
                Sql.stringList(rs.getString("key_columns")), glob == null ? null : Glob.of(glob),
                rs.getString("pipeline_id"), Notify.parse(Sql.object(rs.getString("notify"))), rs.getString("diff_format"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static DatasetVersion mapVersion(ResultSet rs) throws SQLException {
        return new DatasetVersion(rs.getString("dataset_id"), rs.getInt("version"), rs.getString("file_id"),
                rs.getLong("rows_count"), Sql.instant(rs, "created_at"));
    }

    private static DatasetDiff mapDiff(ResultSet rs) throws SQLException {
        return new DatasetDiff(rs.getString("job_id"), rs.getString("dataset_id"), rs.getInt("from_version"),
                rs.getInt("to_version"), DatasetDiff.Status.ofWire(rs.getString("status")), rs.getString("summary"),
                rs.getString("diff_file"), rs.getInt("significant") == 1, rs.getString("rule"), rs.getString("error"),
                Sql.instant(rs, "created_at"));
    }

    private static String glob(Dataset d) {
        return d.match() == null ? null : d.match().text();
    }
}
