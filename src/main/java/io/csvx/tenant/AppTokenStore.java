package io.csvx.tenant;

import java.time.Instant;
import java.util.Optional;

/// Application-scoped tokens, kept by the SHA-256 of their secret text.
public interface AppTokenStore {
    void create(AppToken token, String hash);

    Optional<AppToken> byHash(String hash);

    /// Ends the token, and every token of its application with the same session id when it has one.
    void revoke(AppToken token, Instant at);

    /// Ends every token of the application; returns how many.
    int revokeAll(String appId, Instant at);

    /// Records the admin token's SHA-256; answers the one recorded before, or null.
    String recordAdminHash(String hash);

    /// The admin token's SHA-256 as recorded, or null.
    String adminHash();

    /// Removes up to `limit` tokens, then up to `limit` console sessions, that expired before
    /// `before`; returns how many went in all (0 once none is left).
    int purge(Instant before, int limit);

    /// Keeps a console session by its hash until `expiresAt`.
    void openConsole(String hash, Instant expiresAt, Instant now);

    /// When the console session with this hash ends, if it exists.
    Optional<Instant> consoleExpiry(String hash);

    void closeConsole(String hash);
}
