package io.csvx.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.store.jdbc.ClaimTurns.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimTurnsTest {

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(r -> r.endpointId() + "/" + r.msgId()).toList();
    }

    @Test
    void endpointsTakeTurnsOldestFirstWithinATurn() {
        List<Row> oldest = List.of(new Row("a1", "ep_a", 1), new Row("a2", "ep_a", 2), new Row("b1", "ep_b", 3),
                new Row("a3", "ep_a", 4), new Row("b2", "ep_b", 5));
        assertThat(names(ClaimTurns.pick(List.of(), oldest, 10, 2)))
                .containsExactly("ep_a/a1", "ep_b/b1", "ep_a/a2", "ep_b/b2");
        assertThat(names(ClaimTurns.pick(List.of(), oldest, 3, 2))).containsExactly("ep_a/a1", "ep_b/b1", "ep_a/a2");
    }

    @Test
    void sweptEndpointsGoFirstInTheirTurnWhateverTheirAge() {
        List<Row> oldest = List.of(new Row("a1", "ep_a", 1), new Row("a2", "ep_a", 2), new Row("c1", "ep_c", 3));
        List<Row> swept = List.of(new Row("b1", "ep_b", 50), new Row("b2", "ep_b", 60), new Row("a1", "ep_a", 1));
        // ep_b then ep_a in the sweep's order, then ep_c; the row both found is taken once
        assertThat(names(ClaimTurns.pick(swept, oldest, 10, 2)))
                .containsExactly("ep_b/b1", "ep_a/a1", "ep_c/c1", "ep_b/b2", "ep_a/a2");
        assertThat(names(ClaimTurns.pick(swept, oldest, 1, 2))).containsExactly("ep_b/b1");
    }

    @Test
    void nothingDueNothingPicked() {
        assertThat(ClaimTurns.pick(List.of(), List.of(), 10, 4)).isEmpty();
    }
}
