package io.csvx.store.jdbc;

import io.csvx.store.CsvFile;
import io.csvx.store.Db;
import io.csvx.store.FileStore;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcFiles implements FileStore {
    private static final String COLUMNS = "id, app_id, name, size, sha256, row_count, columns, delimiter, encoding, created_at";
    private final Db db;

    JdbcFiles(Db db) {
        this.db = db;
    }

    @Override
    public CsvFile create(CsvFile f) {
        db.write(c -> Sql.update(c, "INSERT INTO csv_file (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)", f.id(), f.appId(),
                f.name(), f.size(), f.sha256(), f.rows(), Sql.json(f.columns()), f.delimiter(), f.encoding(), f.createdAt()));
        return f;
    }

    @Override
    public Optional<CsvFile> find(String appId, String id) {
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM csv_file WHERE app_id = ? AND id = ?",
                JdbcFiles::map, appId, id));
    }

    @Override
    public Page<CsvFile> list(String appId, PageRequest page) {
        List<Object> params = new ArrayList<>(List.of(appId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM csv_file WHERE app_id = ?");
        return Sql.page(db, sql, params, "id", page, JdbcFiles::map, CsvFile::id);
    }

    @Override
    public boolean delete(String appId, String id) {
        return db.write(c -> Sql.update(c, "DELETE FROM csv_file WHERE app_id = ? AND id = ?", appId, id)) > 0;
    }

    private static CsvFile map(ResultSet rs) throws SQLException {
        return new CsvFile(rs.getString("id"), rs.getString("app_id"), rs.getString("name"), rs.getLong("size"),
                rs.getString("sha256"), rs.getLong("row_count"), Sql.stringList(rs.getString("columns")),
                rs.getString("delimiter"), rs.getString("encoding"), Sql.instant(rs, "created_at"));
    }
}
