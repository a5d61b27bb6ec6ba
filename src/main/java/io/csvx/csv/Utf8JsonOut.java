package io.csvx.csv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/// A small buffered UTF-8 JSON byte writer for the hot path of conversion: strings are escaped
/// per RFC 8259 in one pass, with a fast path for plain ASCII. Not thread-safe.
final class Utf8JsonOut {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
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
