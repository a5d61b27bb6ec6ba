package io.csvx.tenant;

import io.csvx.store.Paced;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Removes the rows of deleted applications in the background, a batch a transaction, leaving
/// the database to everyone else between batches ([Paced]). Every node runs one (another
/// node's deletes are found within [#LOOK_EVERY]; a restart resumes where the last batch
/// ended); two nodes removing the same application only find less to do.
final class Remover {
    private static final Logger LOG = LoggerFactory.getLogger(Remover.class);
    /// Messages (each with its deliveries and attempts) a transaction: ~6 ms of SQLite's writer.
    static final int BATCH = 100;
    private static final Duration LOOK_EVERY = Duration.ofSeconds(30);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(5);

    private final AppStore store;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private volatile boolean running;
    private Thread thread;

    Remover(AppStore store) {
        this.store = store;
    }

    void start() {
        running = true;
        thread = Thread.ofPlatform().name("csvx-app-remover").daemon(true).start(this::loop);
    }

    /// An application was just marked deleted here: look now rather than at the next round.
    void wakeUp() {
        wake.offer(Boolean.TRUE);
    }

    void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                List<String> ids = store.deleted();
                if (ids.isEmpty()) {
                    wake.poll(LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                for (String id : ids) {
                    remove(id);
                }
            } catch (InterruptedException e) {
                return; // closing
            } catch (RuntimeException e) {
                if (!running) {
                    return; // the store closed under the last batch
                }
                LOG.warn("removing deleted applications failed, trying again in {} s: {}", AFTER_FAILURE.toSeconds(),
                        e.getMessage());
                try {
                    Thread.sleep(AFTER_FAILURE);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void remove(String id) throws InterruptedException {
        long t0 = System.nanoTime();
        long removed = Paced.untilDone(() -> store.purge(id, BATCH));
        LOG.info("deleted application {} removed: {} messages and received requests in {} ms", id, removed,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}
