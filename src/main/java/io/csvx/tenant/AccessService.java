package io.csvx.tenant;

import com.github.benmanes.caffeine.cache.LoadingCache;
import io.csvx.store.Ids;
import io.csvx.store.ReadCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/// Application-scoped access (Svix's app portal access): tokens that work for one application
/// with chosen capabilities, expiring, and ended by a logout. Only their SHA-256 is kept; a
/// lookup is cached for a second, so a logout on another node takes at most that to be seen.
public final class AccessService {
    /// The shortest and longest life a token may be given; the longest is the default.
    public static final Duration SHORTEST = Duration.ofHours(1);
    public static final Duration LONGEST = Duration.ofDays(7);
    /// Every token's secret text starts so, which tells it from the admin token.
    public static final String PREFIX = "appsk_";
    /// A console session's secret text (the browser's cookie) starts so.
    public static final String CONSOLE_PREFIX = "csvxc_";
    /// How long a console session lasts.
    public static final Duration CONSOLE_LIFE = Duration.ofHours(12);

    private final AppTokenStore store;
    private final Ids ids;
    private final SecureRandom random;
    private final Clock clock;
    private final LoadingCache<String, AppToken> byHash;
    private final LoadingCache<String, Instant> consoles;
    private volatile byte[] adminHash;
    private volatile long adminCheckedAt;

    public AccessService(AppTokenStore store, Ids ids, SecureRandom random, Clock clock, Duration cacheTtl) {
        this.store = store;
        this.ids = ids;
        this.random = random;
        this.clock = clock;
        this.byHash = ReadCache.of(cacheTtl, 10_000, h -> store.byHash(h).orElse(null));
        this.consoles = ReadCache.of(cacheTtl, 10_000, h -> store.consoleExpiry(h).orElse(Instant.EPOCH));
        this.adminCheckedAt = clock.millis();
    }

    /// A new token and its secret text, which is answered once and kept nowhere.
    public record Issued(AppToken token, String secret) {
    }

    /// Issues a token for `app` living `life` (between [#SHORTEST] and [#LONGEST]).
    public Issued issue(Application app, Duration life, Set<Capability> capabilities, String sessionId) {
        if (life.compareTo(SHORTEST) < 0 || life.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("expiry: between " + SHORTEST.toSeconds() + " and " + LONGEST.toSeconds()
                    + " seconds");
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String secret = PREFIX + HexFormat.of().formatHex(bytes);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        AppToken token = new AppToken(ids.next("atok_"), app.id(), capabilities, sessionId, now.plus(life), null, now);
        store.create(token, hash(secret));
        return new Issued(token, secret);
    }

    /// The token a request presents, when it is one and still valid.
    public Optional<AppToken> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String hash = hash(secret);
        AppToken t = byHash.get(hash);
        return t != null && t.validAt(clock.instant()) ? Optional.of(t) : Optional.empty();
    }

    /// Ends the token (and its session's others); from now on this node refuses them.
    public void logout(AppToken token) {
        store.revoke(token, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        byHash.invalidateAll();
    }

    /// Records the admin token of this node, as a hash: the API accepts what matches it. Answers
    /// false when another admin token was recorded before (a node started with another `--token`).
    public boolean recordAdmin(String adminToken) {
        String hash = hash(adminToken);
        String before = store.recordAdminHash(hash);
        adminHash = HexFormat.of().parseHex(hash);
        return before == null || before.equals(hash);
    }

    /// True when `secret` is the admin token, compared by hash in constant time; the recorded
    /// hash is read again at most once a second, so a node started with a new token takes over.
    public boolean isAdmin(String secret) {
        if (secret == null) {
            return false;
        }
        long now = clock.millis();
        if (now - adminCheckedAt > 1000) {
            String recorded = store.adminHash();
            if (recorded != null) {
                adminHash = HexFormat.of().parseHex(recorded);
            }
            adminCheckedAt = now;
        }
        byte[] expected = adminHash;
        return expected != null && MessageDigest.isEqual(HexFormat.of().parseHex(hash(secret)), expected);
    }

    /// Opens a console session for whoever presented the admin token: its secret (for the
    /// browser's cookie), kept only as its hash, for [#CONSOLE_LIFE].
    public String openConsole() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String secret = CONSOLE_PREFIX + HexFormat.of().formatHex(bytes);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.openConsole(hash(secret), now.plus(CONSOLE_LIFE), now);
        return secret;
    }

    /// True when `secret` is a console session that has not ended.
    public boolean isConsole(String secret) {
        if (secret == null || !secret.startsWith(CONSOLE_PREFIX)) {
            return false;
        }
        Instant expires = consoles.get(hash(secret));
        return expires.isAfter(clock.instant());
    }

    /// Ends a console session, on every node within the cache's second.
    public void closeConsole(String secret) {
        if (secret != null && secret.startsWith(CONSOLE_PREFIX)) {
            store.closeConsole(hash(secret));
            consoles.invalidateAll();
        }
    }

    /// Ends every token of the application (Svix's "expire all").
    public int expireAll(Application app) {
        int ended = store.revokeAll(app.id(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        byHash.invalidateAll();
        return ended;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
