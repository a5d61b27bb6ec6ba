package io.csvx.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/// Seals the secrets CSV-X keeps (endpoint signing secrets, custom header values, source
/// verifications) with AES-256-GCM under one key, so the database holds none of them in plain
/// text. A sealed value reads `enc:v1:` then base64 of a fresh 12-byte nonce and the ciphertext
/// with its tag; a value without that mark is one kept before sealing began, and opens as it is.
public final class Sealer {
    static final String MARK = "enc:v1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecretKeySpec previous;
    private final SecureRandom random;

    /// `key` is 32 bytes.
    public Sealer(byte[] key, SecureRandom random) {
        this(key, null, random);
    }

    private Sealer(byte[] key, byte[] previous, SecureRandom random) {
        if (key.length != 32 || previous != null && previous.length != 32) {
            throw new IllegalArgumentException("an encryption key is 32 bytes (44 characters of base64)");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.previous = previous == null ? null : new SecretKeySpec(previous.clone(), "AES");
        this.random = random;
    }

    /// For a key rotation: seals with `newKey`, opens what either key sealed.
    public static Sealer rotating(byte[] oldKey, byte[] newKey, SecureRandom random) {
        return new Sealer(newKey, oldKey, random);
    }

    /// A key from its base64 text; [IllegalArgumentException] says what is wrong with it.
    public static byte[] parseKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the encryption key is not base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("the encryption key must be 32 bytes (44 characters of base64), not "
                    + key.length);
        }
        return key;
    }

    public String seal(String plain) {
        if (plain == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return MARK + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /// The plain text of a sealed value (or a value kept before sealing began, as it is);
    /// [StoreException.Unusable] when this key did not seal it or it was altered.
    public String open(String stored) {
        if (stored == null || !isSealed(stored)) {
            return stored;
        }
        byte[] all = Base64.getDecoder().decode(stored.substring(MARK.length()));
        try {
            return open(all, key);
        } catch (GeneralSecurityException e) {
            if (previous != null) {
                try {
                    return open(all, previous);
                } catch (GeneralSecurityException alsoNot) {
                    e.addSuppressed(alsoNot);
                }
            }
            throw new StoreException.Unusable("a sealed secret does not open with this node's encryption key", e);
        }
    }

    private static String open(byte[] all, SecretKeySpec with) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(TAG_BITS, all, 0, NONCE));
        return new String(c.doFinal(all, NONCE, all.length - NONCE), StandardCharsets.UTF_8);
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(MARK);
    }
}
