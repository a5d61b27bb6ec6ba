package io.csvx.store;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/// Work too large for one transaction (a retention purge, a deleted application's rows), done a
/// batch a transaction with the database left to others in between: on SQLite a publish waits
/// for whatever transaction the one writer runs, so each batch is kept to milliseconds and
/// followed by a pause twice as long as it took (at least [#MIN_PAUSE_NANOS]), which holds the
/// writer for at most a third of the time.
public final class Paced {
    static final long MIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Paced() {
    }

    /// Runs `batch` (which answers how many rows it handled) until it answers 0, pausing after
    /// each; answers the rows handled in all. Interrupted, it stops between batches.
    public static long untilDone(IntSupplier batch) throws InterruptedException {
        long total = 0;
        while (true) {
            long t0 = System.nanoTime();
            int n = batch.getAsInt();
            if (n == 0) {
                return total;
            }
            total += n;
            TimeUnit.NANOSECONDS.sleep(Math.max(MIN_PAUSE_NANOS, 2 * (System.nanoTime() - t0)));
        }
    }
}
