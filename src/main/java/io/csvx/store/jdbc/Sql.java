package io.csvx.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.store.Db;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/// Small JDBC helpers: bind parameters, map rows, JSON columns.
final class Sql {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Sql() {
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = query(c, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /// The row whose `id` column is `key`, or else whose `alternate` column (a uid, an eventId) is:
    /// ids win, so a uid that looks like another row's id cannot hide it. `selectWhere` is a
    /// `SELECT … FROM … WHERE …` whose own parameters are `scope`.
    static <T> Optional<T> byIdOr(Db db, String selectWhere, String id, String alternate, String key, RowMapper<T> mapper,
                                  Object... scope) {
        String sql = selectWhere + " AND (" + id + " = ? OR " + alternate + " = ?) ORDER BY CASE WHEN " + id
                + " = ? THEN 0 ELSE 1 END";
        Object[] params = Arrays.copyOf(scope, scope.length + 3);
        Arrays.fill(params, scope.length, params.length, key);
        return db.read(c -> one(c, sql, mapper, params));
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            switch (p) {
                case null -> ps.setNull(i + 1, Types.NULL);
                case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
                case Boolean b -> ps.setInt(i + 1, b ? 1 : 0);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                default -> ps.setString(i + 1, p.toString());
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<String> stringList(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON list column: " + json, e);
        }
    }

    /// A JSON object column as a tree; null stays null.
    static ObjectNode object(String json) {
        if (json == null) {
            return null;
        }
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("corrupt JSON object column: " + json, e);
        }
    }

    static Map<String, String> stringMap(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON map column: " + json, e);
        }
    }

    /// Runs `sql` (a SELECT ending in its WHERE clause) as one keyset page ordered by `key`:
    /// rows after the page's iterator, one more than the limit to tell whether more exist.
    static <T> Page<T> page(Db db, StringBuilder sql, List<Object> params, String key, PageRequest page,
                            RowMapper<T> mapper, Function<T, String> keyOf) {
        if (page.iterator() != null) {
            sql.append(" AND ").append(key).append(page.descending() ? " < ?" : " > ?");
            params.add(page.iterator());
        }
        sql.append(" ORDER BY ").append(key).append(page.descending() ? " DESC" : " ASC")
                .append(" LIMIT ").append(page.limit() + 1);
        return Page.of(db.read(c -> query(c, sql.toString(), mapper, params.toArray())), page.limit(), keyOf);
    }
}
