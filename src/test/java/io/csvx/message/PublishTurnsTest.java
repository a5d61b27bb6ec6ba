package io.csvx.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.testing.MovingClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublishTurnsTest {

    @Test
    void anApplicationAtItsShareWaitsAndAnotherDoesNot() throws Exception {
        PublishTurns turns = new PublishTurns(2, false, Clock.systemUTC());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoIn = new CountDownLatch(2);
        AtomicInteger floodRan = new AtomicInteger();
        Thread[] flood = new Thread[3];
        for (int i = 0; i < flood.length; i++) {
            flood[i] = Thread.ofVirtual().start(() -> turns.run("flood", () -> {
                floodRan.incrementAndGet();
                twoIn.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        assertThat(twoIn.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(floodRan).as("the third waits for a turn").hasValue(2);

        CountDownLatch quietRan = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> turns.run("quiet", quietRan::countDown));
        assertThat(quietRan.await(5, TimeUnit.SECONDS)).as("another application does not wait").isTrue();

        release.countDown();
        for (Thread t : flood) {
            t.join(5000);
        }
        assertThat(floodRan).hasValue(3);
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        PublishTurns turns = new PublishTurns(0, false, Clock.systemUTC());
        CountDownLatch all = new CountDownLatch(50);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 50; i++) {
            Thread.ofVirtual().start(() -> turns.run("flood", () -> {
                all.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
    }

    @Test
    void underAutoAnApplicationAloneIsNotLimitedAndIsOnceAnotherPublishes() throws Exception {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T00:00:00Z"));
        PublishTurns turns = new PublishTurns(2, true, clock);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger in = new AtomicInteger();
        Runnable holding = () -> {
            in.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        for (int i = 0; i < 5; i++) {
            Thread.ofVirtual().start(() -> turns.run("flood", holding));
        }
        await(in, 5);
        // another application publishes: from now on the flood's new publishes take turns
        turns.run("quiet", () -> { });
        for (int i = 0; i < 4; i++) {
            Thread.ofVirtual().start(() -> turns.run("flood", holding));
        }
        await(in, 7);
        Thread.sleep(100);
        assertThat(in).as("two new ones in, two wait for a turn").hasValue(7);

        // a second of the flood alone, and it is alone again
        clock.advance(PublishTurns.SHARED_FOR.plusMillis(1));
        turns.run("flood", () -> { });
        clock.advance(PublishTurns.SHARED_FOR.plusMillis(1));
        CountDownLatch alone = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> turns.run("flood", alone::countDown));
        assertThat(alone.await(5, TimeUnit.SECONDS)).as("alone again: no turn to wait for").isTrue();
        release.countDown();
        await(in, 9);
    }

    private static void await(AtomicInteger n, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (n.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(n).hasValue(expected);
    }
}
