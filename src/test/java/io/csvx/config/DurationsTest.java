package io.csvx.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesEachUnitAndLists() {
        assertThat(Durations.parseList("250ms, 5s,5m,2h,5d")).containsExactly(Duration.ofMillis(250),
                Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofDays(5));
        assertThat(Durations.format(Duration.ofMinutes(30))).isEqualTo("30m");
    }

    @Test
    void rejectsUnknownUnitsWithAnExample() {
        assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("5 minutes").hasMessageContaining("30m");
    }
}
