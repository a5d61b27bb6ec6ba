package io.csvx.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadCacheTest {
    @Test
    void anEntryInUseIsReloadedInTheBackgroundWhileCallersKeepTheValueTheyHad() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch reloadMayFinish = new CountDownLatch(1);
        LoadingCache<String, String> cache = ReadCache.of(Duration.ofSeconds(4), 10, key -> {
            int n = loads.incrementAndGet();
            if (n > 1) {
                reloadMayFinish.await(10, TimeUnit.SECONDS); // a slow database
            }
            return key + n;
        });
        assertThat(cache.get("a")).isEqualTo("a1");
        assertThat(cache.get("a")).isEqualTo("a1");
        assertThat(loads).hasValue(1);

        Thread.sleep(2300); // past half the TTL, well before all of it
        long t0 = System.nanoTime();
        assertThat(cache.get("a")).isEqualTo("a1"); // not waiting for the reload it started
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(loads).hasValue(2));
        reloadMayFinish.countDown();
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(cache.get("a")).isEqualTo("a2"));
    }

    @Test
    void nothingOlderThanTheTtlIsServedAndAbsentValuesAreNotKept() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        LoadingCache<String, String> cache = ReadCache.of(Duration.ofMillis(200), 10,
                key -> key.equals("none") ? null : key + loads.incrementAndGet());
        assertThat(cache.get("b")).isEqualTo("b1");
        Thread.sleep(400); // unread for a whole TTL: gone, read again by the caller
        assertThat(cache.get("b")).isEqualTo("b2");
        assertThat(cache.get("none")).isNull();
        assertThat(cache.asMap()).doesNotContainKey("none");
    }

    @Test
    void aZeroTtlKeepsNothing() {
        AtomicInteger loads = new AtomicInteger();
        LoadingCache<String, Integer> cache = ReadCache.of(Duration.ZERO, 10, key -> loads.incrementAndGet());
        assertThat(cache.get("c")).isEqualTo(1);
        assertThat(cache.get("c")).isEqualTo(2);
    }
}
