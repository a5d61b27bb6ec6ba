package io.csvx.store;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;

/// Caches of store reads on hot paths (an application by its key, its endpoints, a token): no
/// value older than the TTL is ever served, and one read often is reloaded before then, in the
/// background, while callers still get the value they had.
///
/// With expiry alone, every entry in use expired once a TTL and the next caller (with every
/// other caller of the same key behind it) waited for the store: at 1,000 messages a second on
/// SQLite that wait, once a second for the application, its endpoints and each endpoint, took the
/// 99th percentile of publish-to-receipt from ~30 to 70-90 ms. Entries are reloaded once half
/// the TTL has passed, on a virtual thread (a reload reads the database; the common pool has
/// one thread on two cores). A loader answering `null` means absent: nothing is kept.
public final class ReadCache {
    private ReadCache() {
    }

    /// A cache of at most `maximumSize` entries that `load` fills, kept for `ttl`; a zero TTL
    /// keeps nothing.
    public static <V> LoadingCache<String, V> of(Duration ttl, long maximumSize, CacheLoader<String, V> load) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize);
        Duration refresh = ttl.dividedBy(2);
        if (refresh.isPositive()) {
            builder.refreshAfterWrite(refresh).executor(task -> Thread.ofVirtual().name("csvx-cache-reload").start(task));
        }
        return builder.build(load);
    }
}
