package io.csvx.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignerTest {
    // The Standard Webhooks specification's test vector.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TS = 1614265330L;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTheSpecTestVector() {
        assertThat(Signer.sign(Signer.keyBytes(SECRET), ID, TS, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void headerCarriesOneSignaturePerKeyAndEachVerifies() {
        byte[] a = Signer.keyBytes(SECRET);
        byte[] b = Signer.keyBytes(Signer.newSecret(new SecureRandom()));
        String header = Signer.header(List.of(new Signer.Key(a), new Signer.Key(b)), ID, TS, BODY);
        assertThat(header.split(" ")).hasSize(2);
        assertThat(Signer.verify(a, ID, TS, BODY, header)).isTrue();
        assertThat(Signer.verify(b, ID, TS, BODY, header)).isTrue();
        assertThat(Signer.verify(a, ID, TS + 1, BODY, header)).isFalse();
    }

    @Test
    void aKeySignsTheSameFromManyThreads() throws Exception {
        Signer.Key key = new Signer.Key(Signer.keyBytes(SECRET));
        String expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = pool.invokeAll(java.util.Collections.nCopies(200,
                    () -> key.sign(ID, TS, BODY)));
            for (var r : results) {
                assertThat(r.get()).isEqualTo(expected);
            }
        }
    }

    @Test
    void newSecretsArePrefixedAndDecodeTo24Bytes() {
        String s = Signer.newSecret(new SecureRandom());
        assertThat(s).startsWith("whsec_");
        assertThat(Signer.keyBytes(s)).hasSize(24);
    }
}
