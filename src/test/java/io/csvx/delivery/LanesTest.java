package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanesTest {
    @Test
    void aLaneRunsItsWidthAndHandsOnTheRestInOrder() {
        Lanes<String> lanes = new Lanes<>(2);
        assertThat(lanes.enter("ep_1", "a")).isTrue();
        assertThat(lanes.enter("ep_1", "b")).isTrue();
        assertThat(lanes.enter("ep_1", "c")).isFalse();
        assertThat(lanes.enter("ep_1", "d")).isFalse();
        assertThat(lanes.enter("ep_2", "x")).isTrue(); // a slow endpoint's queue holds up no other

        assertThat(lanes.leave("ep_1")).isEqualTo("c"); // whoever finishes takes the next, in order
        assertThat(lanes.leave("ep_1")).isEqualTo("d");
        assertThat(lanes.leave("ep_1")).isNull();
        assertThat(lanes.leave("ep_1")).isNull();
        // both running places are free again
        assertThat(lanes.enter("ep_1", "e")).isTrue();
        assertThat(lanes.enter("ep_1", "f")).isTrue();
        assertThat(lanes.enter("ep_1", "g")).isFalse();
    }
}
