package io.csvx.store.jdbc;

import io.csvx.file.CsvFile;
import io.csvx.file.FileStore;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcFiles implements FileStore {
    private static final String COLUMNS = "id, app_id, name, size, sha256, row_count, columns, delimiter, encoding, format, role, job_id, created_at";
    private final Db db;

    JdbcFiles(Db db) {
        this.db = db;
    }

    @Override
    public CsvFile create(CsvFile f) {
        db.write(c -> insert(c, f));
        return f;
    }

    static int insert(Connection c, CsvFile f) throws SQLException {
        return Sql.update(c, "INSERT INTO csv_file (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", f.id(), f.appId(),
                f.name(), f.size(), f.sha256(), f.rows(), Sql.json(f.columns()), f.delimiter(), f.encoding(), f.format(),
                f.role().wire(), f.jobId(), f.createdAt());
    }

    @Override
    public Optional<CsvFile> find(String appId, String id) {
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM csv_file WHERE app_id = ? AND id = ?",
                JdbcFiles::map, appId, id));
    }

    @Override
    public Page<CsvFile> list(String appId, PageRequest page, String jobId) {
        List<Object> params = new ArrayList<>(List.of(appId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM csv_file WHERE app_id = ?");
        if (jobId != null) {
            sql.append(" AND job_id = ?");
            params.add(jobId);
        }
        return Sql.page(db, sql, params, "id", page, JdbcFiles::map, CsvFile::id);
    }

    @Override
    public boolean delete(String appId, String id) {
        return db.write(c -> Sql.update(c, "DELETE FROM csv_file WHERE app_id = ? AND id = ?", appId, id)) > 0;
    }

    static CsvFile map(ResultSet rs) throws SQLException {
        return new CsvFile(rs.getString("id"), rs.getString("app_id"), rs.getString("name"), rs.getLong("size"),
                rs.getString("sha256"), rs.getLong("row_count"), Sql.stringList(rs.getString("columns")),
                rs.getString("delimiter"), rs.getString("encoding"), rs.getString("format"),
                CsvFile.Role.ofWire(rs.getString("role")),
                rs.getString("job_id"), Sql.instant(rs, "created_at"));
    }
}
