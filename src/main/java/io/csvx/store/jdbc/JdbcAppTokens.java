package io.csvx.store.jdbc;

import io.csvx.store.Db;
import io.csvx.tenant.AppToken;
import io.csvx.tenant.AppTokenStore;
import io.csvx.tenant.Capability;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

final class JdbcAppTokens implements AppTokenStore {
    private final Db db;

    JdbcAppTokens(Db db) {
        this.db = db;
    }

    @Override
    public void create(AppToken t, String hash) {
        db.write(c -> Sql.update(c, "INSERT INTO app_token (id, token_hash, app_id, capabilities, session_id, expires_at,"
                + " revoked_at, created_at) VALUES (?,?,?,?,?,?,?,?)", t.id(), hash, t.appId(),
                Sql.json(t.capabilities().stream().map(Capability::name).sorted().toList()), t.sessionId(),
                t.expiresAt(), t.revokedAt(), t.createdAt()));
    }

    @Override
    public Optional<AppToken> byHash(String hash) {
        return db.read(c -> Sql.one(c, "SELECT id, app_id, capabilities, session_id, expires_at, revoked_at, created_at"
                + " FROM app_token WHERE token_hash = ?", JdbcAppTokens::map, hash));
    }

    @Override
    public void revoke(AppToken t, Instant at) {
        db.write(c -> t.sessionId() == null
                ? Sql.update(c, "UPDATE app_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, t.id())
                : Sql.update(c, "UPDATE app_token SET revoked_at = ? WHERE app_id = ? AND (id = ? OR session_id = ?)"
                + " AND revoked_at IS NULL", at, t.appId(), t.id(), t.sessionId()));
    }

    @Override
    public int revokeAll(String appId, Instant at) {
        return db.write(c -> Sql.update(c, "UPDATE app_token SET revoked_at = ? WHERE app_id = ? AND revoked_at IS NULL",
                at, appId));
    }

    @Override
    public String recordAdminHash(String hash) {
        return db.write(c -> {
            String before = Sql.one(c, "SELECT token_hash FROM admin_token WHERE id = 1", rs -> rs.getString(1))
                    .orElse(null);
            if (before == null) {
                Sql.update(c, "INSERT INTO admin_token (id, token_hash) VALUES (1, ?)", hash);
            } else if (!before.equals(hash)) {
                Sql.update(c, "UPDATE admin_token SET token_hash = ? WHERE id = 1", hash);
            }
            return before;
        });
    }

    @Override
    public String adminHash() {
        return db.read(c -> Sql.one(c, "SELECT token_hash FROM admin_token WHERE id = 1", rs -> rs.getString(1))
                .orElse(null));
    }

    @Override
    public int purge(Instant before, int limit) {
        return db.write(c -> Sql.update(c, "DELETE FROM app_token WHERE id IN (SELECT id FROM app_token"
                + " WHERE expires_at < ? LIMIT ?)", before, limit)
                + Sql.update(c, "DELETE FROM console_session WHERE token_hash IN (SELECT token_hash FROM"
                + " console_session WHERE expires_at < ? LIMIT ?)", before, limit));
    }

    @Override
    public void openConsole(String hash, Instant expiresAt, Instant now) {
        db.write(c -> Sql.update(c, "INSERT INTO console_session (token_hash, expires_at, created_at) VALUES (?,?,?)",
                hash, expiresAt, now));
    }

    @Override
    public Optional<Instant> consoleExpiry(String hash) {
        return db.read(c -> Sql.one(c, "SELECT expires_at FROM console_session WHERE token_hash = ?",
                rs -> Sql.instant(rs, "expires_at"), hash));
    }

    @Override
    public void closeConsole(String hash) {
        db.write(c -> Sql.update(c, "DELETE FROM console_session WHERE token_hash = ?", hash));
    }

    private static AppToken map(ResultSet rs) throws SQLException {
        return new AppToken(rs.getString("id"), rs.getString("app_id"), Sql.stringList(rs.getString("capabilities"))
                .stream().map(Capability::of).collect(Collectors.toSet()), rs.getString("session_id"),
                Sql.instant(rs, "expires_at"), Sql.instant(rs, "revoked_at"), Sql.instant(rs, "created_at"));
    }
}
