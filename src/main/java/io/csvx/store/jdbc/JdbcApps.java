package io.csvx.store.jdbc;

import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.tenant.AppStore;
import io.csvx.tenant.Application;
import io.csvx.tenant.Branding;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

final class JdbcApps implements AppStore {
    private static final String COLUMNS = "id, uid, name, throttle_rate, metadata, created_at, updated_at";
    private final Db db;

    JdbcApps(Db db) {
        this.db = db;
    }

    @Override
    public Application create(Application a) {
        db.write(c -> Sql.update(c, "INSERT INTO application (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)",
                a.id(), a.uid(), a.name(), a.throttleRate(), a.metadata(), a.createdAt(), a.updatedAt()));
        return a;
    }

    @Override
    public Optional<Application> find(String idOrUid) {
        return Sql.byIdOr(db, "SELECT " + COLUMNS + " FROM application WHERE deleted_at IS NULL", "id", "uid", idOrUid, JdbcApps::map);
    }

    @Override
    public Page<Application> list(PageRequest page, Set<String> hidden) {
        List<Object> params = new ArrayList<>(hidden);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM application WHERE deleted_at IS NULL");
        for (int i = 0; i < hidden.size(); i++) {
            sql.append(" AND id <> ?");
        }
        return Sql.page(db, sql, params, "id", page, JdbcApps::map, Application::id);
    }

    @Override
    public Application update(Application a) {
        db.write(c -> Sql.update(c, "UPDATE application SET uid = ?, name = ?, throttle_rate = ?, metadata = ?,"
                + " updated_at = ? WHERE id = ? AND deleted_at IS NULL", a.uid(), a.name(), a.throttleRate(), a.metadata(), a.updatedAt(), a.id()));
        return a;
    }

    @Override
    public boolean delete(String id, Instant at) {
        return db.write(c -> {
            if (Sql.update(c, "UPDATE application SET uid = NULL, deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                    at, id) == 0) {
                return false;
            }
            // what would still act for it until its rows are gone: portal tokens, deliveries (a claim
            // skips a disabled endpoint), its branding; its sources are looked up as not found
            Sql.update(c, "DELETE FROM app_token WHERE app_id = ?", id);
            Sql.update(c, "UPDATE endpoint SET disabled = 1, updated_at = ? WHERE app_id = ?", at, id);
            Sql.update(c, "DELETE FROM branding WHERE owner = ?", id);
            return true;
        });
    }

    @Override
    public List<String> deleted() {
        return db.read(c -> Sql.query(c, "SELECT id FROM application WHERE deleted_at IS NOT NULL ORDER BY deleted_at, id",
                rs -> rs.getString(1)));
    }

    @Override
    public int purge(String id, int batch) {
        return db.write(c -> {
            // a message takes its deliveries, finished deliveries and attempts with it (cascade)
            int removed = Sql.update(c, "DELETE FROM message WHERE id IN (SELECT id FROM message WHERE app_id = ? LIMIT ?)",
                    id, batch);
            if (removed == 0) {
                removed = Sql.update(c, "DELETE FROM inbound_request WHERE id IN (SELECT id FROM inbound_request"
                        + " WHERE source_id IN (SELECT id FROM source WHERE app_id = ?) LIMIT ?)", id, batch);
            }
            if (removed == 0) {
                // the rest is small (endpoints, sources, files' rows, jobs, pipelines, datasets): one cascade
                Sql.update(c, "DELETE FROM application WHERE id = ? AND deleted_at IS NOT NULL", id);
            }
            return removed;
        });
    }

    @Override
    public Optional<Branding> branding(String owner) {
        return db.read(c -> Sql.one(c, "SELECT name, accent, logo FROM branding WHERE owner = ?",
                rs -> new Branding(rs.getString("name"), rs.getString("accent"), rs.getString("logo")), owner));
    }

    @Override
    public void setBranding(String owner, Branding b, Instant now) {
        db.write(c -> {
            Sql.update(c, "DELETE FROM branding WHERE owner = ?", owner);
            return b.isEmpty() ? 0 : Sql.update(c, "INSERT INTO branding (owner, name, accent, logo, updated_at)"
                    + " VALUES (?,?,?,?,?)", owner, b.name(), b.accent(), b.logo(), now);
        });
    }

    private static Application map(ResultSet rs) throws SQLException {
        return new Application(rs.getString("id"), rs.getString("uid"), rs.getString("name"),
                Sql.integer(rs, "throttle_rate"), rs.getString("metadata"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
