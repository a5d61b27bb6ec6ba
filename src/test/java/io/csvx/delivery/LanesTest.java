package io.csvx.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanesTest {
    @Test
    void aLaneRunsItsWidthAndHandsOnTheRestInOrder() {
        Lanes<String> lanes = new Lanes<>(2);
        assertThat(lanes.enter("ep_1", "a", false)).isTrue();
        assertThat(lanes.enter("ep_1", "b", false)).isTrue();
        assertThat(lanes.enter("ep_1", "c", false)).isFalse();
        assertThat(lanes.enter("ep_1", "d", false)).isFalse();
        assertThat(lanes.enter("ep_2", "x", false)).isTrue(); // a slow endpoint's queue holds up no other

        assertThat(lanes.leave("ep_1")).isEqualTo("c"); // whoever finishes takes the next, in order
        assertThat(lanes.leave("ep_1")).isEqualTo("d");
        assertThat(lanes.leave("ep_1")).isNull();
        assertThat(lanes.leave("ep_1")).isNull();
        // both running places are free again
        assertThat(lanes.enter("ep_1", "e", false)).isTrue();
        assertThat(lanes.enter("ep_1", "f", false)).isTrue();
        assertThat(lanes.enter("ep_1", "g", false)).isFalse();
    }

    @Test
    void aLaneCountsWhatItHoldsAndRefusesPlacesPastItsCap() {
        Lanes<String> lanes = new Lanes<>(1);
        assertThat(lanes.reserve("ep_1", 3)).isTrue();
        assertThat(lanes.reserve("ep_1", 3)).isTrue();
        assertThat(lanes.enter("ep_1", "a", false)).isTrue();
        assertThat(lanes.held("ep_1")).isEqualTo(3);
        assertThat(lanes.reserve("ep_1", 3)).isFalse(); // full: the rest stays in the queue
        assertThat(lanes.holdingMoreThan(2)).containsExactly("ep_1");
        assertThat(lanes.enter("ep_1", "b", true)).isFalse(); // in its reserved place, waiting
        lanes.unreserve("ep_1");
        assertThat(lanes.held("ep_1")).isEqualTo(2);
        assertThat(lanes.holdingMoreThan(2)).isEmpty();
        assertThat(lanes.leave("ep_1")).isEqualTo("b");
        assertThat(lanes.leave("ep_1")).isNull();
        assertThat(lanes.held("ep_1")).isZero();
        assertThat(lanes.held("ep_unknown")).isZero();
    }
}
