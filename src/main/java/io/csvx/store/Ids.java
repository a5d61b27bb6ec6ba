package io.csvx.store;

import java.security.SecureRandom;
import java.util.concurrent.locks.ReentrantLock;

/// Prefixed, time-ordered identifiers: `msg_` + 22 base62 characters.
///
/// The first 48 bits are the millisecond clock and the remaining 80 are random, incremented
/// within one millisecond, so ids sort in creation order within a node and never collide
/// across nodes in practice. Sorting by id is what list pagination relies on.
public final class Ids {
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 22; // 62^22 > 2^128

    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private long lastMillis;
    private long hi; // 16 random bits (top of the 80)
    private long lo; // 64 random bits

    public String next(String prefix) {
        long millis;
        long h;
        long l;
        lock.lock();
        try {
            millis = System.currentTimeMillis();
            if (millis <= lastMillis) {
                millis = lastMillis;
                lo++;
                if (lo == 0) {
                    hi = (hi + 1) & 0xFFFF;
                }
            } else {
                lastMillis = millis;
                hi = random.nextInt() & 0x7FFF; // leave headroom so increments never wrap
                lo = random.nextLong();
            }
            h = hi;
            l = lo;
        } finally {
            lock.unlock();
        }
        return prefix + encode((millis << 16) | h, l);
    }

    /// The least id with `prefix` that [#next] could make at `at`'s millisecond: every id made
    /// earlier sorts below it, every id made then or later at or above it. A filter on creation
    /// time can so bound the id, which the lists' indexes lead with.
    public static String floor(String prefix, java.time.Instant at) {
        return prefix + encode(Math.max(0, at.toEpochMilli()) << 16, 0);
    }

    /// An id as [#next] would have made it at `at` (random below the clock bits): for rows stored
    /// as if made at another time, as the page benchmark's are.
    public String at(String prefix, java.time.Instant at) {
        return prefix + encode((at.toEpochMilli() << 16) | (random.nextInt() & 0x7FFF), random.nextLong());
    }

    private static int indexOf(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
        if (c >= 'a' && c <= 'z') return c - 'a' + 36;
        return -1;
    }

    /// Base62 of the unsigned 128-bit value high:low, 22 characters, by long division on four 32-bit limbs.
    private static String encode(long high, long low) {
        long[] limbs = {high >>> 32, high & 0xFFFFFFFFL, low >>> 32, low & 0xFFFFFFFFL};
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            long rem = 0;
            for (int j = 0; j < 4; j++) {
                long cur = (rem << 32) | limbs[j];
                limbs[j] = cur / 62;
                rem = cur % 62;
            }
            out[i] = BASE62[(int) rem];
        }
        return new String(out);
    }
}
