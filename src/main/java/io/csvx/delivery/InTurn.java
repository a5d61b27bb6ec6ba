package io.csvx.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Runs what follows each of several pieces of work in the order the work was handed over, each
/// once its own work is done: two batches of outcomes written at once may commit in either order,
/// and those who hear of them must hear of the earlier first. Used by one thread.
final class InTurn {
    private static final Logger LOG = LoggerFactory.getLogger(InTurn.class);

    /// Done when everything handed over so far has been followed up; never fails.
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    /// Runs `then` with `work`'s value or failure once `work` is done and every follow-up
    /// handed over before this one has run.
    <T> void after(CompletableFuture<T> work, BiConsumer<T, Throwable> then) {
        last = last.thenCompose(previous -> work.handle((value, error) -> {
            try {
                then.accept(value, error);
            } catch (RuntimeException e) {
                LOG.error("following up a write failed; the next ones go on", e);
            }
            return null;
        }));
    }
}
