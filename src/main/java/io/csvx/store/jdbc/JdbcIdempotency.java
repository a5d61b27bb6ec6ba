package io.csvx.store.jdbc;

import io.csvx.http.IdempotencyStore;
import io.csvx.store.Db;
import io.csvx.store.StoreException;
import java.time.Instant;
import java.util.Optional;

final class JdbcIdempotency implements IdempotencyStore {
    private final Db db;

    JdbcIdempotency(Db db) {
        this.db = db;
    }

    @Override
    public Optional<Stored> reserve(String scopeKey, Instant now, Instant staleBefore) {
        for (int tries = 1; ; tries++) {
            try {
                db.write(c -> Sql.update(c, "INSERT INTO idempotency (scope_key, status, body, created_at)"
                        + " VALUES (?,0,NULL,?)", scopeKey, now));
                return Optional.empty();
            } catch (StoreException.Conflict taken) {
                Optional<Stored> found = find(scopeKey);
                if (found.isEmpty()) { // the request holding it failed and let it go meanwhile
                    if (tries < 3) {
                        continue;
                    }
                    return Optional.of(new Stored(0, null)); // taken and let go again and again: in flight
                }
                // created_at is when the reservation was last touched while its request ran
                if (found.get().status() == 0 && db.write(c -> Sql.update(c, "UPDATE idempotency SET created_at = ?"
                        + " WHERE scope_key = ? AND status = 0 AND created_at < ?", now, scopeKey, staleBefore)) == 1) {
                    return Optional.empty();
                }
                return found;
            }
        }
    }

    @Override
    public void touch(String scopeKey, Instant now) {
        db.write(c -> Sql.update(c, "UPDATE idempotency SET created_at = ? WHERE scope_key = ? AND status = 0", now,
                scopeKey));
    }

    @Override
    public Optional<Stored> find(String scopeKey) {
        return db.read(c -> Sql.one(c, "SELECT status, body FROM idempotency WHERE scope_key = ?",
                rs -> new Stored(rs.getInt(1), rs.getString(2)), scopeKey));
    }

    @Override
    public void complete(String scopeKey, int status, String body) {
        db.write(c -> Sql.update(c, "UPDATE idempotency SET status = ?, body = ? WHERE scope_key = ?", status, body, scopeKey));
    }

    @Override
    public void forget(String scopeKey) {
        db.write(c -> Sql.update(c, "DELETE FROM idempotency WHERE scope_key = ?", scopeKey));
    }

    @Override
    public int purge(Instant before, int limit) {
        return db.write(c -> Sql.update(c, "DELETE FROM idempotency WHERE scope_key IN (SELECT scope_key FROM idempotency"
                + " WHERE created_at < ? LIMIT ?)", before, limit));
    }
}
