package io.csvx.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublishTurnsTest {

    @Test
    void anApplicationAtItsShareWaitsAndAnotherDoesNot() throws Exception {
        PublishTurns turns = new PublishTurns(2);
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
        PublishTurns turns = new PublishTurns(0);
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
}
