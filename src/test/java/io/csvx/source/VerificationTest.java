package io.csvx.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// Each scheme against the providers' own published examples where they exist, and the refusals.
class VerificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Verification parse(String json) throws Exception {
        return Verification.parse(JSON.readTree(json));
    }

    private static boolean accepts(Verification v, Map<String, String> headers, String body, Instant now) {
        Verification.Check c = v.begin(headers, now);
        if (c instanceof Verification.Refused) {
            return false;
        }
        Verification.Proceed p = (Verification.Proceed) c;
        if (p.mac() == null) {
            return true;
        }
        p.mac().update(body.getBytes(StandardCharsets.UTF_8));
        return p.accepts().test(p.mac().doFinal());
    }

    @Test
    void gitHubsDocumentedExampleVerifies() throws Exception {
        // docs.github.com, "Validating webhook deliveries": this secret, payload and signature
        Verification v = parse("{\"type\":\"github\",\"secret\":\"It's a Secret to Everybody\"}");
        Map<String, String> h = Map.of("x-hub-signature-256",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(accepts(v, h, "Hello, World!", Instant.now())).isTrue();
        assertThat(accepts(v, h, "Hello, World?", Instant.now())).isFalse();
        assertThat(accepts(v, Map.of(), "Hello, World!", Instant.now())).isFalse();
        assertThat(accepts(v, Map.of("x-hub-signature-256", "sha256=zz"), "Hello, World!", Instant.now())).isFalse();
    }

    @Test
    void standardWebhooksSpecExampleVerifiesWithinTolerance() throws Exception {
        // the test vector of the Standard Webhooks specification
        Verification v = parse("{\"type\":\"standard-webhooks\",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}");
        Map<String, String> h = new HashMap<>(Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp", "1614265330",
                "webhook-signature", "v1,bm9ldHZhbGlk v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        String body = "{\"test\": 2432232314}";
        Instant at = Instant.ofEpochSecond(1614265330);
        assertThat(accepts(v, h, body, at)).isTrue(); // one of several signatures matches
        assertThat(accepts(v, h, body, at.plusSeconds(299))).isTrue();
        assertThat(accepts(v, h, body, at.plusSeconds(301))).isFalse(); // stale
        assertThat(accepts(v, h, body, at.minusSeconds(301))).isFalse(); // from the future
        assertThat(accepts(v, h, body.replace("2", "3"), at)).isFalse();
        h.put("webhook-signature", "v1,bm9ldHZhbGlk");
        assertThat(accepts(v, h, body, at)).isFalse();
        // the svix-* spelling of the same headers
        Map<String, String> svix = Map.of("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "svix-timestamp", "1614265330",
                "svix-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(accepts(v, svix, body, at)).isTrue();
        assertThat(accepts(v, Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"), body, at)).isFalse(); // unsigned
    }

    @Test
    void aTimestampSoFarAwayThatSubtractingOverflowsIsStale() throws Exception {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        Verification v = parse("{\"type\":\"standard-webhooks\",\"secret\":\"" + secret + "\"}");
        Instant now = Instant.ofEpochSecond(1614265330);
        String body = "{\"test\": 1}";
        // now minus 2^63: now - ts overflows to Long.MIN_VALUE, whose absolute value is negative
        for (long ts : new long[] {now.getEpochSecond() + Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE}) {
            Map<String, String> h = Map.of("webhook-id", "msg_1", "webhook-timestamp", Long.toString(ts),
                    "webhook-signature", new Webhook(secret).sign("msg_1", ts, body));
            assertThat(accepts(v, h, body, now)).as("timestamp %d", ts).isFalse();
        }
    }

    @Test
    void stripeSignsTimestampDotBodyWithTheSecretAsWritten() throws Exception {
        Verification v = parse("{\"type\":\"stripe\",\"secret\":\"whsec_test_secret\"}");
        long t = 1_795_700_000L;
        String body = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}";
        String sig = hmacHex("HmacSHA256", "whsec_test_secret", t + "." + body);
        Map<String, String> h = Map.of("stripe-signature", "t=" + t + ",v1=" + sig + ",v0=ignored");
        assertThat(accepts(v, h, body, Instant.ofEpochSecond(t + 10))).isTrue();
        assertThat(accepts(v, h, body, Instant.ofEpochSecond(t + 400))).isFalse();
        assertThat(accepts(v, Map.of("stripe-signature", "t=" + t), body, Instant.ofEpochSecond(t))).isFalse();
    }

    @Test
    void genericHmacWithAlgorithmEncodingPrefixAndTimestamp() throws Exception {
        Verification v = parse("{\"type\":\"hmac\",\"header\":\"X-Signature\",\"secret\":\"s3\",\"algorithm\":\"sha512\","
                + "\"encoding\":\"base64\",\"prefix\":\"sha512=\",\"timestampHeader\":\"X-Timestamp\"}");
        long t = Instant.now().getEpochSecond();
        String body = "a,b\n1,2\n";
        byte[] mac = hmac("HmacSHA512", "s3", t + "." + body);
        Map<String, String> h = Map.of("x-signature", "sha512=" + java.util.Base64.getEncoder().encodeToString(mac),
                "x-timestamp", Long.toString(t));
        assertThat(accepts(v, h, body, Instant.now())).isTrue();
        assertThat(accepts(v, h, body + "3,4\n", Instant.now())).isFalse(); // tampered
        assertThat(accepts(v, h, body, Instant.now().plusSeconds(600))).isFalse(); // stale
        assertThat(accepts(v, Map.of("x-signature", h.get("x-signature")), body, Instant.now())).isFalse();
        Verification sha1 = parse("{\"type\":\"hmac\",\"header\":\"X-Sig\",\"secret\":\"k\",\"algorithm\":\"sha1\"}");
        assertThat(accepts(sha1, Map.of("x-sig", hmacHex("HmacSHA1", "k", body)), body, Instant.now())).isTrue();
    }

    @Test
    void basicAndApiKeyCompareWholeCredentials() throws Exception {
        Verification basic = parse("{\"type\":\"basic\",\"username\":\"crm\",\"password\":\"pw\"}");
        String good = "Basic " + java.util.Base64.getEncoder().encodeToString("crm:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(accepts(basic, Map.of("authorization", good), "", Instant.now())).isTrue();
        assertThat(accepts(basic, Map.of("authorization", good + "x"), "", Instant.now())).isFalse();
        assertThat(accepts(basic, Map.of(), "", Instant.now())).isFalse();
        Verification key = parse("{\"type\":\"api-key\",\"header\":\"X-Api-Key\",\"key\":\"k-123\"}");
        assertThat(accepts(key, Map.of("x-api-key", "k-123"), "", Instant.now())).isTrue();
        assertThat(accepts(key, Map.of("x-api-key", "k-12"), "", Instant.now())).isFalse();
    }

    @Test
    void incompleteDefinitionsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> parse("{\"type\":\"github\"}")).hasMessage("verification.secret: required for github");
        assertThatThrownBy(() -> parse("{\"type\":\"magic\"}")).hasMessageStartingWith("verification.type:");
        assertThatThrownBy(() -> parse("{}")).hasMessageStartingWith("verification.type:");
        assertThatThrownBy(() -> parse("{\"type\":\"hmac\",\"header\":\"X\",\"secret\":\"s\",\"algorithm\":\"md5\"}"))
                .hasMessageStartingWith("verification.algorithm:");
        assertThatThrownBy(() -> parse("{\"type\":\"standard-webhooks\",\"secret\":\"whsec_%%%\"}"))
                .hasMessageStartingWith("verification.secret:");
    }

    private static byte[] hmac(String algorithm, String key, String data) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance(algorithm);
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hmacHex(String algorithm, String key, String data) throws Exception {
        return java.util.HexFormat.of().formatHex(hmac(algorithm, key, data));
    }
}
