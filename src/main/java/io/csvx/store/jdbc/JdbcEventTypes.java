package io.csvx.store.jdbc;

import io.csvx.message.EventType;
import io.csvx.message.EventTypeStore;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcEventTypes implements EventTypeStore {
    private static final String COLUMNS =
            "name, description, archived, deprecated, feature_flag, feature_flags, group_name, schemas, created_at,"
            + " updated_at";
    private final Db db;

    JdbcEventTypes(Db db) {
        this.db = db;
    }

    @Override
    public EventType create(EventType t) {
        db.write(c -> Sql.update(c, "INSERT INTO event_type (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)",
                t.name(), t.description(), t.archived(), t.deprecated(), t.featureFlag(), Sql.json(t.featureFlags()),
                t.groupName(), t.schemas(),
                t.createdAt(), t.updatedAt()));
        return t;
    }

    @Override
    public Optional<EventType> find(String name) {
        return db.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM event_type WHERE name = ?", JdbcEventTypes::map, name));
    }

    @Override
    public Page<EventType> list(PageRequest page, boolean includeArchived) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM event_type WHERE 1 = 1");
        if (!includeArchived) {
            sql.append(" AND archived = 0");
        }
        return Sql.page(db, sql, params, "name", page, JdbcEventTypes::map, EventType::name);
    }

    @Override
    public EventType update(EventType t) {
        db.write(c -> Sql.update(c, "UPDATE event_type SET description = ?, archived = ?, deprecated = ?,"
                        + " feature_flag = ?, feature_flags = ?, group_name = ?, schemas = ?, updated_at = ? WHERE name = ?",
                t.description(), t.archived(), t.deprecated(), t.featureFlag(), Sql.json(t.featureFlags()), t.groupName(),
                t.schemas(), t.updatedAt(), t.name()));
        return t;
    }

    @Override
    public boolean delete(String name, boolean expunge) {
        return db.write(c -> expunge
                ? Sql.update(c, "DELETE FROM event_type WHERE name = ?", name)
                : Sql.update(c, "UPDATE event_type SET archived = 1 WHERE name = ?", name)) > 0;
    }

    private static EventType map(ResultSet rs) throws SQLException {
        return new EventType(rs.getString("name"), rs.getString("description"), rs.getInt("archived") != 0,
                rs.getInt("deprecated") != 0, Sql.stringList(rs.getString("feature_flags")), rs.getString("group_name"),
                rs.getString("schemas"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
