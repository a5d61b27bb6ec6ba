package io.csvx.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/// Standard Webhooks signatures: `v1,` + base64(HMAC-SHA256(secret, id + "." + timestamp + "." + body)).
///
/// Secrets are `whsec_` + base64 of the key bytes. Outbound delivery signs with every valid
/// secret of an endpoint (space separated), inbound verification accepts any one match.
public final class Signer {
    public static final String PREFIX = "whsec_";
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private Signer() {
    }

    /// A new secret: 24 random bytes, the size the Standard Webhooks spec recommends at minimum.
    public static String newSecret(SecureRandom random) {
        byte[] key = new byte[24];
        random.nextBytes(key);
        return PREFIX + B64.encodeToString(key);
    }

    /// Decodes a `whsec_`-prefixed (or bare) base64 secret; throws IllegalArgumentException when not base64.
    public static byte[] keyBytes(String secret) {
        String raw = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(raw);
    }

    /// One `v1,<sig>` signature.
    public static String sign(byte[] key, String msgId, long timestampSeconds, byte[] body) {
        return new Key(key).sign(msgId, timestampSeconds, body);
    }

    /// The `webhook-signature` header value: one signature per key, space separated.
    public static String header(List<Key> keys, String msgId, long timestampSeconds, byte[] body) {
        StringBuilder out = new StringBuilder();
        for (Key key : keys) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(key.sign(msgId, timestampSeconds, body));
        }
        return out.toString();
    }

    /// A signing key with its HMAC set up once; each signature works on a clone, so one key
    /// signs from many threads without looking the algorithm up or deriving the key again.
    public static final class Key {
        private final byte[] bytes;
        private final Mac prototype;

        public Key(byte[] bytes) {
            this.bytes = bytes.clone();
            this.prototype = mac(this.bytes);
        }

        public String sign(String msgId, long timestampSeconds, byte[] body) {
            Mac mac;
            try {
                mac = (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                mac = mac(bytes);
            }
            mac.update((msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + B64.encodeToString(mac.doFinal(body));
        }
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /// True when any `v1` signature in the header matches, compared in constant time.
    public static boolean verify(byte[] key, String msgId, long timestampSeconds, byte[] body, String signatureHeader) {
        byte[] expected = sign(key, msgId, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
