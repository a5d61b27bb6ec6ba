package io.csvx.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsArePrefixedUniqueAndSortInCreationOrder() {
        Ids ids = new Ids();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next("msg_"));
        }
        assertThat(new HashSet<>(made)).hasSize(made.size());
        assertThat(made).isSorted().allSatisfy(id -> assertThat(id).matches("msg_[0-9A-Za-z]{22}"));
    }

    @Test
    void idsOfSeparateGeneratorsSortByTheTimeTheyWereMade() throws InterruptedException {
        // each node has its own generator: a later millisecond must still sort later
        String earlier = new Ids().next("atmpt_").substring("atmpt_".length());
        Thread.sleep(2);
        String later = new Ids().next("msg_").substring("msg_".length());
        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void theFloorOfAMillisecondSortsBetweenTheIdsMadeBeforeAndAfterIt() throws InterruptedException {
        Ids ids = new Ids();
        String before = ids.next("msg_");
        Thread.sleep(2);
        java.time.Instant t = java.time.Instant.now();
        String floor = Ids.floor("msg_", t);
        Thread.sleep(2);
        String after = ids.next("msg_");
        assertThat(before).isLessThan(floor);
        assertThat(after).isGreaterThan(floor);
        assertThat(floor).matches("msg_[0-9A-Za-z]{22}");
        // an id made "at" a time sorts from that time's floor up to the next millisecond's
        String made = ids.at("msg_", t);
        assertThat(made).isGreaterThanOrEqualTo(floor).isLessThan(Ids.floor("msg_", t.plusMillis(1)));
    }
}
