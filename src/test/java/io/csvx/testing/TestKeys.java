package io.csvx.testing;

import io.csvx.store.Sealer;
import java.security.SecureRandom;
import java.util.Base64;

/// The encryption key every test node and store uses, so that nodes sharing a database agree.
public final class TestKeys {
    /// Base64 of 32 bytes 0x01, 0x02, … 0x20.
    public static final String KEY = Base64.getEncoder().encodeToString(bytes());

    private TestKeys() {
    }

    public static Sealer sealer() {
        return new Sealer(bytes(), new SecureRandom());
    }

    /// The key's bytes, for a rotation away from it.
    public static byte[] sealerKey() {
        return bytes();
    }

    private static byte[] bytes() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i + 1);
        }
        return key;
    }
}
