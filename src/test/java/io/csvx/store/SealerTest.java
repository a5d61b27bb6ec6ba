package io.csvx.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SealerTest {
    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void sealsWithAFreshNonceOpensOnlyWithItsKeyAndRefusesTampering() {
        Sealer sealer = new Sealer(key(1), new SecureRandom());
        String a = sealer.seal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String b = sealer.seal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(a).startsWith("enc:v1:").isNotEqualTo(b).doesNotContain("MfKQ9r8G");
        assertThat(sealer.open(a)).isEqualTo("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(sealer.open(b)).isEqualTo(sealer.open(a));

        assertThatThrownBy(() -> new Sealer(key(2), new SecureRandom()).open(a))
                .isInstanceOf(StoreException.Unusable.class);
        char[] chars = a.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> sealer.open(new String(chars))).isInstanceOf(StoreException.Unusable.class);

        assertThat(sealer.open("{\"X-Legacy\":\"kept before sealing\"}")).isEqualTo("{\"X-Legacy\":\"kept before sealing\"}");
        assertThat(sealer.open(null)).isNull();
        assertThat(sealer.seal(null)).isNull();
    }

    @Test
    void aKeyIsThirtyTwoBytesOfBase64() {
        assertThat(Sealer.parseKey("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=")).hasSize(32);
        assertThatThrownBy(() -> Sealer.parseKey("c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Sealer.parseKey("not base64!")).hasMessageContaining("not base64");
    }
}
