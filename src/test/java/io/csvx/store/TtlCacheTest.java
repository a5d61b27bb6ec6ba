package io.csvx.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
    @Test
    void cachesUntilInvalidatedAndNeverKeepsALoadThatRacedAnInvalidation() {
        TtlCache<String, String> cache = new TtlCache<>(Duration.ofMinutes(1));
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.get("a", k -> Optional.of("v" + loads.incrementAndGet()))).contains("v1");
        assertThat(cache.get("a", k -> Optional.of("v" + loads.incrementAndGet()))).contains("v1");
        cache.invalidate("a");
        // a change lands while this load is under way: its result must not be cached
        assertThat(cache.get("a", k -> {
            cache.invalidate("a");
            return Optional.of("v" + loads.incrementAndGet());
        })).contains("v2");
        assertThat(cache.get("a", k -> Optional.of("v" + loads.incrementAndGet()))).contains("v3");
        cache.invalidateIf(v -> v.equals("v3"));
        assertThat(cache.get("a", k -> Optional.of("v" + loads.incrementAndGet()))).contains("v4");
        assertThat(cache.get("missing", k -> Optional.empty())).isEmpty();
    }

    @Test
    void entriesExpire() throws InterruptedException {
        TtlCache<String, Integer> cache = new TtlCache<>(Duration.ofMillis(20));
        AtomicInteger loads = new AtomicInteger();
        cache.get("k", k -> Optional.of(loads.incrementAndGet()));
        Thread.sleep(40);
        assertThat(cache.get("k", k -> Optional.of(loads.incrementAndGet()))).contains(2);
    }
}
