package io.csvx.store.jdbc;

import io.csvx.job.Glob;
import io.csvx.job.PipelineDefinition;
import io.csvx.job.PipelineStore;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcPipelines implements PipelineStore {
    private static final String COLUMNS = "id, app_id, uid, name, definition, trigger_event, trigger_glob, trigger_pipeline,"
            + " created_at, updated_at";
    private final Db db;

    JdbcPipelines(Db db) {
        this.db = db;
    }

    @Override
    public PipelineDefinition create(PipelineDefinition p) {
        db.write(c -> Sql.update(c, "INSERT INTO pipeline (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)", p.id(), p.appId(),
                p.uid(), p.name(), p.definition().toString(), p.triggerEvent(), glob(p), p.triggerPipeline(), p.createdAt(),
                p.updatedAt()));
        return p;
    }

    @Override
    public Optional<PipelineDefinition> find(String appId, String idOrUid) {
        return Sql.byIdOr(db, "SELECT " + COLUMNS + " FROM pipeline WHERE app_id = ?", "id", "uid", idOrUid,
                JdbcPipelines::map, appId);
    }

    @Override
    public Page<PipelineDefinition> list(String appId, PageRequest page) {
        List<Object> params = new ArrayList<>(List.of(appId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM pipeline WHERE app_id = ?");
        return Sql.page(db, sql, params, "id", page, JdbcPipelines::map, PipelineDefinition::id);
    }

    @Override
    public PipelineDefinition update(PipelineDefinition p) {
        db.write(c -> Sql.update(c, "UPDATE pipeline SET uid = ?, name = ?, definition = ?, trigger_event = ?,"
                + " trigger_glob = ?, trigger_pipeline = ?, updated_at = ? WHERE app_id = ? AND id = ?", p.uid(), p.name(),
                p.definition().toString(), p.triggerEvent(), glob(p), p.triggerPipeline(), p.updatedAt(), p.appId(), p.id()));
        return p;
    }

    @Override
    public boolean delete(String appId, String id) {
        return db.write(c -> Sql.update(c, "DELETE FROM pipeline WHERE app_id = ? AND id = ?", appId, id)) > 0;
    }

    @Override
    public List<PipelineDefinition> triggered(String appId) {
        // rows from before chained triggers have a glob and no event: file.uploaded
        return db.read(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM pipeline WHERE app_id = ?"
                + " AND (trigger_event IS NOT NULL OR trigger_glob IS NOT NULL) ORDER BY id", JdbcPipelines::map, appId));
    }

    private static PipelineDefinition map(ResultSet rs) throws SQLException {
        String glob = rs.getString("trigger_glob");
        String event = rs.getString("trigger_event");
        return new PipelineDefinition(rs.getString("id"), rs.getString("app_id"), rs.getString("uid"), rs.getString("name"),
                Sql.object(rs.getString("definition")), event == null && glob != null ? PipelineDefinition.FILE_UPLOADED : event,
                glob == null ? null : Glob.of(glob),
                rs.getString("trigger_pipeline"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static String glob(PipelineDefinition p) {
        return p.triggerGlob() == null ? null : p.triggerGlob().text();
    }
}
