package io.csvx.csv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/// A small buffered UTF-8 JSON byte writer for the hot path of conversion: strings are escaped
/// per RFC 8259 in one pass, with a fast path for plain ASCII. Not thread-safe.
final class Utf8JsonOut {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int pos;

    Utf8JsonOut(OutputStream out) {
        this.out = out;
    }

    void write(byte b) throws IOException {
        if (pos == buf.length) {
            flushBuffer();
        }
        buf[pos++] = b;
    }

    void write(byte[] bytes) throws IOException {
        if (bytes.length > buf.length - pos) {
            flushBuffer();
            if (bytes.length > buf.length) {
                out.write(bytes);
                return;
            }
        }
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /// Writes `s` as a JSON string, quotes included, in chunks that each fit the buffer.
    void string(String s) throws IOException {
        write((byte) '"');
        int chunk = buf.length / 6;
        for (int start = 0; start < s.length(); ) {
            int end = Math.min(s.length(), start + chunk);
            if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
                end--; // keep a surrogate pair in one chunk
            }
            if (buf.length - pos < (end - start) * 6) {
                flushBuffer();
            }
            pos = encode(s, start, end, buf, pos);
            start = end;
        }
        write((byte) '"');
    }

    /// Bytes that go into a JSON string as they are: not a control character, quote or backslash
    /// (bytes of multi-byte UTF-8 characters included).
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int b = 0x20; b < 256; b++) {
            PLAIN[b] = b != '"' && b != '\\';
        }
    }

    /// Writes `prefix` (a key, say), then the UTF-8 text `src[from, to)` as a JSON string, quotes
    /// included: the bytes [#string(String)] would write for it.
    void string(byte[] prefix, byte[] src, int from, int to) throws IOException {
        int n = to - from;
        if (buf.length - pos < prefix.length + 2 + 6L * n) {
            flushBuffer();
            if (buf.length < prefix.length + 2 + 6L * n) {
                write(prefix);
                string(src, from, to);
                return;
            }
        }
        // room for the worst case: no check a byte
        byte[] b = buf;
        int p = pos;
        System.arraycopy(prefix, 0, b, p, prefix.length);
        p += prefix.length;
        b[p++] = '"';
        int i = from;
        while (i < to) {
            int run = plainRun(src, i, to);
            System.arraycopy(src, i, b, p, run - i);
            p += run - i;
            if (run == to) {
                break;
            }
            p = escape(b, p, (char) src[run]);
            i = run + 1;
        }
        b[p++] = '"';
        pos = p;
    }

    /// Writes the UTF-8 text `src[from, to)` as a JSON string, quotes included, however long.
    void string(byte[] src, int from, int to) throws IOException {
        write((byte) '"');
        int i = from;
        while (i < to) {
            int run = plainRun(src, i, to);
            raw(src, i, run);
            if (run == to) {
                break;
            }
            if (buf.length - pos < 6) {
                flushBuffer();
            }
            pos = escape(buf, pos, (char) src[run]);
            i = run + 1;
        }
        write((byte) '"');
    }

    /// Where the run of bytes that need no escape from `i` ends: eight bytes a step.
    private static int plainRun(byte[] src, int i, int to) {
        while (i + 8 <= to) {
            long w = (long) LONGS.get(src, i);
            // a mark on each byte under 0x20 (not one with its high bit set), quote or backslash
            long m = (w - 0x2020202020202020L & ~w | zeros(w ^ 0x2222222222222222L) | zeros(w ^ 0x5C5C5C5C5C5C5C5CL))
                    & 0x8080808080808080L;
            if (m != 0) {
                return i + (Long.numberOfTrailingZeros(m) >>> 3);
            }
            i += 8;
        }
        while (i < to && PLAIN[src[i] & 0xFF]) {
            i++;
        }
        return i;
    }

    private static long zeros(long x) {
        return x - 0x0101010101010101L & ~x;
    }

    /// Writes `src[from, to)` as it is.
    void raw(byte[] src, int from, int to) throws IOException {
        int n = to - from;
        if (n > buf.length - pos) {
            flushBuffer();
            if (n > buf.length) {
                out.write(src, from, n);
                return;
            }
        }
        System.arraycopy(src, from, buf, pos, n);
        pos += n;
    }

    /// Escapes and UTF-8-encodes `s[from, to)` into `b` at `p`; the caller made room for 6 bytes a char.
    private static int encode(String s, int from, int to, byte[] b, int p) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else {
                    p = escape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                p = unicodeEscape(b, p, c); // a lone surrogate cannot be UTF-8: keep it as an escape
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return p;
    }

    private static int escape(byte[] b, int p, char c) {
        b[p++] = '\\';
        switch (c) {
            case '"' -> b[p++] = '"';
            case '\\' -> b[p++] = '\\';
            case '\n' -> b[p++] = 'n';
            case '\r' -> b[p++] = 'r';
            case '\t' -> b[p++] = 't';
            case '\b' -> b[p++] = 'b';
            case '\f' -> b[p++] = 'f';
            default -> {
                return unicodeEscape(b, p - 1, c);
            }
        }
        return p;
    }

    private static int unicodeEscape(byte[] b, int p, char c) {
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
        return p;
    }

    /// Writes ASCII text as it is (numbers, literals).
    void ascii(String s) throws IOException {
        if (buf.length - pos < s.length()) {
            flushBuffer();
        }
        for (int i = 0; i < s.length(); i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }
}
