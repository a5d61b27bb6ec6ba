package io.csvx.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/// A small read-through cache of store lookups for hot paths. Entries live for `ttl`, which bounds
/// how long another node's change takes to be seen; this node drops entries on its own changes.
/// A generation counter keeps a load that raced with an invalidation from putting stale data back.
public final class TtlCache<K, V> {
    private record Timed<V>(V value, long loadedAt) {
    }

    private final long ttlNanos;
    private final ConcurrentHashMap<K, Timed<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public TtlCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /// The cached value, or what `load` finds (cached unless empty).
    public Optional<V> get(K key, Function<K, Optional<V>> load) {
        Timed<V> t = entries.get(key);
        if (t != null && System.nanoTime() - t.loadedAt() < ttlNanos) {
            return Optional.of(t.value());
        }
        long gen = generation.get();
        Optional<V> loaded = load.apply(key);
        if (loaded.isEmpty()) {
            entries.remove(key);
            return loaded;
        }
        Timed<V> fresh = new Timed<>(loaded.get(), System.nanoTime());
        entries.put(key, fresh);
        if (generation.get() != gen) {
            entries.remove(key, fresh); // an invalidation ran while loading: what was loaded may be stale
        }
        return loaded;
    }

    public void invalidate(K key) {
        generation.incrementAndGet();
        entries.remove(key);
    }

    /// Drops every entry whose value matches, such as all keys of one application.
    public void invalidateIf(Predicate<V> stale) {
        generation.incrementAndGet();
        entries.values().removeIf(t -> stale.test(t.value()));
    }
}
