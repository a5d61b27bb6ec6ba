package io.csvx.store.jdbc;

import io.csvx.file.CsvFile;
import io.csvx.job.Job;
import io.csvx.job.JobStore;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// Jobs in portable SQL. Claiming selects then updates in one write transaction: exclusive on
/// SQLite's single writer, skipping rows other nodes hold on PostgreSQL.
final class JdbcJobs implements JobStore {
    private static final String COLUMNS = "id, app_id, pipeline_id, dataset_id, file_id, input_url, definition, status, rows_read, rows_written,"
            + " rows_skipped, rows_rejected, output_files, rejects_file, error, error_line, runs, cancel, created_at,"
            + " started_at, finished_at, updated_at, result";
    private final Db db;

    JdbcJobs(Db db) {
        this.db = db;
    }

    @Override
    public Job create(Job j) {
        db.write(c -> Sql.update(c, "INSERT INTO job (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                // a diff names no pipeline; the column, older than diffs, holds '' for it
                j.id(), j.appId(), j.pipelineId() == null ? "" : j.pipelineId(), j.datasetId(), j.fileId(), j.inputUrl(), j.definition(), j.status().wire(), j.rowsRead(),
                j.rowsWritten(), j.rowsSkipped(), j.rowsRejected(), Sql.json(j.outputFileIds()), j.rejectsFileId(),
                j.error(), j.errorLine(), j.runs(), j.cancelRequested(), j.createdAt(), j.startedAt(), j.finishedAt(),
                j.updatedAt(), j.result()));
        return j;
    }

    @Override
    public Optional<Job> find(String appId, String id) {
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM job WHERE app_id = ? AND id = ?", JdbcJobs::map,
                appId, id));
    }

    @Override
    public Page<Job> list(String appId, PageRequest page, String fileId, Job.Status status) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM job WHERE 1 = 1");
        if (appId != null) {
            sql.append(" AND app_id = ?");
            params.add(appId);
        }
        if (fileId != null) {
            sql.append(" AND file_id = ?");
            params.add(fileId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status.wire());
        }
        return Sql.page(db, sql, params, "id", page, JdbcJobs::map, Job::id);
    }

    @Override
    public List<Job> claim(String owner, Instant now, Instant leaseUntil, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return db.write(c -> {
            List<String> ids = Sql.query(c, "SELECT id FROM job WHERE status = 'queued'"
                    + " OR (status = 'running' AND lease_until < ?) ORDER BY id LIMIT " + limit + db.skipLocked("job"),
                    rs -> rs.getString(1), now);
            List<Job> claimed = new ArrayList<>(ids.size());
            for (String id : ids) {
                Sql.update(c, "UPDATE job SET status = 'running', runs = runs + 1, lease_owner = ?, lease_until = ?,"
                        + " started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ?", owner, leaseUntil, now, now, id);
                claimed.add(Sql.one(c, "SELECT " + COLUMNS + " FROM job WHERE id = ?", JdbcJobs::map, id).orElseThrow());
            }
            return claimed;
        });
    }

    @Override
    public Renewal renew(String id, String owner, Instant leaseUntil, long rowsRead, Instant now) {
        return db.write(c -> {
            int held = Sql.update(c, "UPDATE job SET lease_until = ?, rows_read = ?, updated_at = ?"
                    + " WHERE id = ? AND status = 'running' AND lease_owner = ?", leaseUntil, rowsRead, now, id, owner);
            if (held == 0) {
                return Renewal.LOST;
            }
            boolean cancel = Sql.one(c, "SELECT cancel FROM job WHERE id = ?", rs -> rs.getInt(1) == 1, id).orElse(false);
            return cancel ? Renewal.CANCEL : Renewal.HELD;
        });
    }

    @Override
    public boolean finish(String id, String owner, Finish f, Instant now) {
        return db.write(c -> {
            int held = Sql.update(c, "UPDATE job SET status = ?, rows_read = ?, rows_written = ?, rows_skipped = ?,"
                            + " rows_rejected = ?, output_files = ?, rejects_file = ?, error = ?, error_line = ?, result = ?,"
                            + " lease_owner = NULL, lease_until = NULL, finished_at = ?, updated_at = ?"
                            + " WHERE id = ? AND status = 'running' AND lease_owner = ?",
                    f.status().wire(), f.rowsRead(), f.rowsWritten(), f.rowsSkipped(), f.rowsRejected(),
                    Sql.json(f.outputs().stream().map(CsvFile::id).toList()), f.rejects() == null ? null : f.rejects().id(),
                    f.error(), f.errorLine(), f.result(), now, now, id, owner);
            if (held == 0) {
                return false;
            }
            for (CsvFile out : f.outputs()) {
                JdbcFiles.insert(c, out);
            }
            if (f.rejects() != null) {
                JdbcFiles.insert(c, f.rejects());
            }
            return true;
        });
    }

    @Override
    public boolean fetched(String id, String owner, String fileId) {
        return db.write(c -> Sql.update(c, "UPDATE job SET file_id = ? WHERE id = ? AND status = 'running'"
                + " AND lease_owner = ?", fileId, id, owner)) > 0;
    }

    @Override
    public void release(String id, String owner) {
        db.write(c -> Sql.update(c, "UPDATE job SET status = 'queued', runs = runs - 1, lease_owner = NULL,"
                + " lease_until = NULL WHERE id = ? AND status = 'running' AND lease_owner = ?", id, owner));
    }

    @Override
    public Optional<Job> cancel(String appId, String id, Instant now) {
        return db.write(c -> {
            Sql.update(c, "UPDATE job SET status = 'cancelled', finished_at = ?, updated_at = ?"
                    + " WHERE app_id = ? AND id = ? AND status = 'queued'", now, now, appId, id);
            Sql.update(c, "UPDATE job SET cancel = 1, updated_at = ? WHERE app_id = ? AND id = ? AND status = 'running'",
                    now, appId, id);
            return Sql.one(c, "SELECT " + COLUMNS + " FROM job WHERE app_id = ? AND id = ?", JdbcJobs::map, appId, id);
        });
    }

    @Override
    public List<Job> unannounced(int limit) {
        return db.read(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM job WHERE announced = 0"
                + " AND status IN ('completed', 'failed', 'cancelled') ORDER BY id LIMIT " + limit, JdbcJobs::map));
    }

    @Override
    public void announced(String id) {
        db.write(c -> Sql.update(c, "UPDATE job SET announced = 1 WHERE id = ?", id));
    }

    private static Job map(ResultSet rs) throws SQLException {
        long line = rs.getLong("error_line");
        Long errorLine = rs.wasNull() ? null : line;
        String pipeline = rs.getString("pipeline_id");
        return new Job(rs.getString("id"), rs.getString("app_id"), pipeline.isEmpty() ? null : pipeline,
                rs.getString("dataset_id"), rs.getString("file_id"),
                rs.getString("input_url"), rs.getString("definition"), Job.Status.ofWire(rs.getString("status")), rs.getLong("rows_read"),
                rs.getLong("rows_written"), rs.getLong("rows_skipped"), rs.getLong("rows_rejected"),
                Sql.stringList(rs.getString("output_files")), rs.getString("rejects_file"), rs.getString("error"), errorLine,
                rs.getInt("runs"), rs.getInt("cancel") == 1, Sql.instant(rs, "created_at"), Sql.instant(rs, "started_at"),
                Sql.instant(rs, "finished_at"), Sql.instant(rs, "updated_at"), rs.getString("result"));
    }
}
