package io.csvx.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PublishShareTest {

    @Test
    void autoIsTwiceTheCoresAtLeastFourAndOnlyWhileShared() {
        assertThat(PublishShare.parse("auto", 2)).isEqualTo(new PublishShare(4, true));
        assertThat(PublishShare.parse("AUTO", 8)).isEqualTo(new PublishShare(16, true));
        assertThat(PublishShare.parse(" auto ", 1)).isEqualTo(new PublishShare(4, true));
    }

    @Test
    void aNumberHoldsAlwaysAndZeroIsNoLimit() {
        assertThat(PublishShare.parse("6", 2)).isEqualTo(new PublishShare(6, false));
        assertThat(PublishShare.parse("0", 2)).isEqualTo(PublishShare.NONE);
        assertThat(PublishShare.NONE.toString()).isEqualTo("0 (no limit)");
    }

    @Test
    void anythingElseIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> PublishShare.parse("lots", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--app-publish-concurrency").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> PublishShare.parse("-1", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--app-publish-concurrency");
    }
}
