package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/// Follow-ups run in the order their work was handed over, whichever work finishes first.
class InTurnTest {
    private final InTurn inTurn = new InTurn();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    private CompletableFuture<String> handOver(String name) {
        CompletableFuture<String> work = new CompletableFuture<>();
        inTurn.after(work, (value, error) -> ran.add(name + ": " + (error == null ? value : error.getMessage())));
        return work;
    }

    @Test
    void aLaterWorkDoneFirstWaitsForTheEarliersFollowUp() {
        CompletableFuture<String> first = handOver("first");
        CompletableFuture<String> second = handOver("second");
        second.complete("b");
        assertThat(ran).isEmpty();
        first.complete("a");
        assertThat(ran).containsExactly("first: a", "second: b");
        handOver("third").complete("c");
        assertThat(ran).containsExactly("first: a", "second: b", "third: c");
    }

    @Test
    void aFailedWorkAndAFailingFollowUpDoNotStopTheNext() {
        CompletableFuture<String> failed = handOver("failed");
        inTurn.after(CompletableFuture.completedFuture("x"), (value, error) -> {
            throw new IllegalStateException("observer broke");
        });
        CompletableFuture<String> next = handOver("next");
        next.complete("n");
        failed.completeExceptionally(new IllegalStateException("write failed"));
        assertThat(ran).containsExactly("failed: write failed", "next: n");
    }
}
