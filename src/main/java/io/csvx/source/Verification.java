package io.csvx.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.csvx.net.HeaderNames;
import io.csvx.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/// How a source authenticates requests. Each scheme first checks the headers (presence, format,
/// timestamp tolerance) and then, for the signed ones, a MAC over the body streamed through it.
/// Every comparison is constant-time. An incomplete definition is refused when the source is
/// saved; nothing here ever lets a request through by default.
sealed interface Verification {
    Duration TOLERANCE = Duration.ofMinutes(5);

    /// The verdict on the headers: refused with a reason, or go on with the body through `mac`
    /// (null: nothing to check in the body) and accept when `accepts` says the digest matches.
    sealed interface Check permits Refused, Proceed {
    }

    record Refused(String reason) implements Check {
    }

    record Proceed(Mac mac, Predicate<byte[]> accepts) implements Check {
        static Proceed headerOnly() {
            return new Proceed(null, digest -> true);
        }
    }

    /// Checks `headers` (names in lower case) at `now`.
    Check begin(Map<String, String> headers, Instant now);

    /// The header whose value identifies a delivery of this scheme (for deduplication), or null.
    default String deliveryIdHeader() {
        return null;
    }

    /// `{"type": "standard-webhooks", "secret": "whsec_…"}`: `webhook-*` or `svix-*` headers,
    /// HMAC-SHA256 over `id.timestamp.body`, any of several `v1,` signatures, 5-minute tolerance.
    record StandardWebhooks(byte[] key) implements Verification {
        @Override
        public Check begin(Map<String, String> h, Instant now) {
            String id = first(h, "webhook-id", "svix-id");
            String ts = first(h, "webhook-timestamp", "svix-timestamp");
            String sig = first(h, "webhook-signature", "svix-signature");
            if (id == null || ts == null || sig == null) {
                return new Refused("missing webhook-id, webhook-timestamp or webhook-signature");
            }
            Refused stale = stale(ts, now);
            if (stale != null) {
                return stale;
            }
            List<byte[]> given = new ArrayList<>();
            for (String part : sig.trim().split(" +")) {
                if (part.startsWith("v1,")) {
                    try {
                        given.add(Base64.getDecoder().decode(part.substring(3)));
                    } catch (IllegalArgumentException ignored) {
                        // a malformed signature matches nothing
                    }
                }
            }
            if (given.isEmpty()) {
                return new Refused("no v1 signature in webhook-signature");
            }
            Mac mac = mac("HmacSHA256", key);
            mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
            return new Proceed(mac, digest -> anyEqual(given, digest));
        }

        @Override
        public String deliveryIdHeader() {
            return "webhook-id";
        }
    }

    /// `{"type": "github", "secret": "…"}`: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
    record GitHub(byte[] key) implements Verification {
        @Override
        public Check begin(Map<String, String> h, Instant now) {
            String sig = h.get("x-hub-signature-256");
            if (sig == null || !sig.startsWith("sha256=")) {
                return new Refused("missing X-Hub-Signature-256: sha256=…");
            }
            byte[] given = hex(sig.substring(7));
            if (given == null) {
                return new Refused("X-Hub-Signature-256 is not hex");
            }
            return new Proceed(mac("HmacSHA256", key), digest -> MessageDigest.isEqual(given, digest));
        }

        @Override
        public String deliveryIdHeader() {
            return "x-github-delivery";
        }
    }

    /// `{"type": "stripe", "secret": "whsec_…"}`: `Stripe-Signature: t=…,v1=…` with HMAC-SHA256 of
    /// `t.body` keyed by the secret as written, 5-minute tolerance.
    record Stripe(byte[] key) implements Verification {
        @Override
        public Check begin(Map<String, String> h, Instant now) {
            String header = h.get("stripe-signature");
            if (header == null) {
                return new Refused("missing Stripe-Signature");
            }
            String t = null;
            List<byte[]> given = new ArrayList<>();
            for (String part : header.split(",")) {
                String p = part.trim();
                if (p.startsWith("t=")) {
                    t = p.substring(2);
                } else if (p.startsWith("v1=")) {
                    byte[] b = hex(p.substring(3));
                    if (b != null) {
                        given.add(b);
                    }
                }
            }
            if (t == null || given.isEmpty()) {
                return new Refused("Stripe-Signature needs t= and v1=");
            }
            Refused stale = stale(t, now);
            if (stale != null) {
                return stale;
            }
            Mac mac = mac("HmacSHA256", key);
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return new Proceed(mac, digest -> anyEqual(given, digest));
        }
    }

    /// `{"type": "hmac", "header": "X-Signature", "secret": "…", "algorithm": "sha256",
    /// "encoding": "hex", "prefix": "sha256=", "timestampHeader": "X-Timestamp"}`: a MAC of the
    /// body (of `timestamp.body` when a timestamp header is named, with 5-minute tolerance).
    record Hmac(String header, String algorithm, boolean base64, String prefix, String timestampHeader, byte[] key)
            implements Verification {
        @Override
        public Check begin(Map<String, String> h, Instant now) {
            String sig = h.get(header);
            if (sig == null || !sig.startsWith(prefix)) {
                return new Refused("missing " + header + (prefix.isEmpty() ? "" : ": " + prefix + "…"));
            }
            String value = sig.substring(prefix.length()).trim();
            byte[] given;
            try {
                given = base64 ? Base64.getDecoder().decode(value) : hex(value);
            } catch (IllegalArgumentException e) {
                given = null;
            }
            if (given == null) {
                return new Refused(header + " is not " + (base64 ? "base64" : "hex"));
            }
            Mac mac = mac(algorithm, key);
            if (timestampHeader != null) {
                String ts = h.get(timestampHeader);
                if (ts == null) {
                    return new Refused("missing " + timestampHeader);
                }
                Refused stale = stale(ts, now);
                if (stale != null) {
                    return stale;
                }
                mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
            }
            byte[] expected = given;
            return new Proceed(mac, digest -> MessageDigest.isEqual(expected, digest));
        }
    }

    /// `{"type": "basic", "username": …, "password": …}`.
    record Basic(byte[] expected) implements Verification {
        @Override
        public Check begin(Map<String, String> h, Instant now) {
            String auth = h.get("authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
                return new Refused("missing Authorization: Basic …");
            }
            return MessageDigest.isEqual(expected, auth.substring(6).trim().getBytes(StandardCharsets.UTF_8))
                    ? Proceed.headerOnly() : new Refused("wrong username or password");
        }
    }

    /// `{"type": "api-key", "header": "X-Api-Key", "key": …}`.
    record ApiKey(String header, byte[] key) implements Verification {
        @Override
        public Check begin(Map<String, String> h, Instant now) {
            String given = h.get(header);
            if (given == null) {
                return new Refused("missing " + header);
            }
            return MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))
                    ? Proceed.headerOnly() : new Refused("wrong " + header);
        }
    }

    /// `{"type": "none"}`: anyone may send; only when chosen explicitly.
    record None() implements Verification {
        @Override
        public Check begin(Map<String, String> h, Instant now) {
            return Proceed.headerOnly();
        }
    }

    /// Reads a definition; [SourceException] names the field at fault.
    static Verification parse(JsonNode v) {
        if (v == null || !v.isObject()) {
            throw new SourceException("verification", "required: an object with a type (standard-webhooks, github,"
                    + " stripe, hmac, basic, api-key or none)");
        }
        String type = v.path("type").asText("");
        return switch (type) {
            case "standard-webhooks" -> {
                String secret = text(v, "secret");
                if (!secret.startsWith(Signer.PREFIX)) {
                    throw new SourceException("verification.secret", "a whsec_ secret, as the sender shows it (whsec_"
                            + " then base64)");
                }
                try {
                    yield new StandardWebhooks(Signer.keyBytes(secret));
                } catch (IllegalArgumentException e) {
                    throw new SourceException("verification.secret", "a whsec_ secret (base64 after the prefix)");
                }
            }
            case "github" -> new GitHub(text(v, "secret").getBytes(StandardCharsets.UTF_8));
            case "stripe" -> new Stripe(text(v, "secret").getBytes(StandardCharsets.UTF_8));
            case "hmac" -> {
                String algorithm = switch (v.path("algorithm").asText("sha256").toLowerCase(Locale.ROOT)) {
                    case "sha1" -> "HmacSHA1";
                    case "sha256" -> "HmacSHA256";
                    case "sha512" -> "HmacSHA512";
                    default -> throw new SourceException("verification.algorithm", "sha1, sha256 or sha512");
                };
                String encoding = v.path("encoding").asText("hex");
                if (!encoding.equals("hex") && !encoding.equals("base64")) {
                    throw new SourceException("verification.encoding", "hex or base64");
                }
                String ts = v.hasNonNull("timestampHeader") ? headerName(v, "timestampHeader") : null;
                yield new Hmac(headerName(v, "header"), algorithm, encoding.equals("base64"),
                        v.path("prefix").asText(""), ts, text(v, "secret").getBytes(StandardCharsets.UTF_8));
            }
            case "basic" -> new Basic(Base64.getEncoder().encode((text(v, "username") + ":" + text(v, "password"))
                    .getBytes(StandardCharsets.UTF_8)));
            case "api-key" -> new ApiKey(headerName(v, "header"),
                    text(v, "key").getBytes(StandardCharsets.UTF_8));
            case "none" -> new None();
            default -> throw new SourceException("verification.type", "one of standard-webhooks, github, stripe, hmac,"
                    + " basic, api-key, none" + (type.isEmpty() ? " (required)" : "; not '" + type + "'"));
        };
    }

    /// A header name as HTTP allows it (a token: no white space, CR, LF, NUL or separators), lower case.
    private static String headerName(JsonNode v, String field) {
        String name = text(v, field);
        if (!HeaderNames.isName(name)) {
            throw new SourceException("verification." + field, "'" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a header name (letters, digits and !#$%&'*+.^_`|~-)");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode v, String field) {
        JsonNode n = v.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new SourceException("verification." + field, "required for " + v.path("type").asText());
        }
        return n.asText();
    }

    private static String first(Map<String, String> h, String a, String b) {
        String v = h.get(a);
        return v != null ? v : h.get(b);
    }

    private static Refused stale(String seconds, Instant now) {
        long ts;
        try {
            ts = Long.parseLong(seconds.trim());
        } catch (NumberFormatException e) {
            return new Refused("the timestamp is not a number of seconds");
        }
        // compared with the window's ends rather than by subtracting: now minus -2^63 overflows,
        // and the absolute value of what overflowed may pass any tolerance
        long tolerance = TOLERANCE.toSeconds();
        long at = now.getEpochSecond();
        if (ts >= at - tolerance && ts <= at + tolerance) {
            return null;
        }
        long drift;
        try {
            drift = Math.abs(Math.subtractExact(at, ts));
        } catch (ArithmeticException overflow) {
            drift = Long.MAX_VALUE;
        }
        return new Refused("the timestamp is " + drift + " s away from now (tolerance " + tolerance
                + " s): stale or replayed");
    }

    private static boolean anyEqual(List<byte[]> given, byte[] digest) {
        boolean match = false;
        for (byte[] g : given) {
            match |= MessageDigest.isEqual(g, digest); // no early exit: every candidate is compared
        }
        return match;
    }

    private static byte[] hex(String s) {
        try {
            return HexFormat.of().parseHex(s.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Mac mac(String algorithm, byte[] key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
