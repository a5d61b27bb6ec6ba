package io.csvx.csv;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/// CSV rows read straight from UTF-8 bytes, each field a range of a buffer rather than a
/// String: for work that compares or copies most fields without ever looking into them (a diff,
/// a plain conversion to JSON).
/// It reads as [CsvInput] does, the same fields on the same lines and the same errors
/// (`Utf8RowsTest` holds the two side by side): encoding and delimiter sniffed or given, the first
/// row the header, empty lines skipped, a quote opening a field only at its start. A file in
/// another encoding is turned into UTF-8 on the way in.
///
/// A row's fields are valid until the next call of [#next]; a quoted field's doubled quotes are
/// undone in place.
final class Utf8Rows implements AutoCloseable {
    private static final int BUFFER = 1 << 20;
    private static final int ROW = 0;
    private static final int MORE = 1;
    private static final int END = 2;

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;

    private final InputStream in;
    private final byte delimiter;
    /// The delimiter in every byte.
    private final long delimiters;
    private final String encoding;
    private final List<String> header;
    private byte[] buf = new byte[BUFFER];
    /// The next row's first byte, and the end of what was read.
    private int pos;
    private int end;
    private boolean eof;
    /// The line `pos` is on.
    private long line = 1;

    private long rowLine;
    private int count;
    private int[] from = new int[16];
    private int[] to = new int[16];
    /// Fields with doubled quotes to undo, once the whole row is in the buffer.
    private int[] escaped = new int[16];
    private int escapes;

    private Utf8Rows(InputStream in, char delimiter, String encoding) throws IOException {
        if (delimiter > 0x7F || delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("unsupported delimiter '" + delimiter + "'");
        }
        this.in = in;
        this.delimiter = (byte) delimiter;
        this.delimiters = 0x0101010101010101L * delimiter;
        this.encoding = encoding;
        if (!next()) {
            in.close();
            throw new CsvFormatException(0, "the file is empty: a header row is needed");
        }
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(text(i));
        }
        this.header = List.copyOf(names);
    }

    /// Opens a stream as [CsvInput#open] does; throws [CsvFormatException] for an empty file or a
    /// broken header.
    static Utf8Rows open(InputStream raw, CsvInput.Options options) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        CsvInput.Sniffed sniffed = CsvInput.sniff(in, options);
        var charset = sniffed.encoding().charset();
        InputStream utf8 = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)
                ? in : new ToUtf8(new InputStreamReader(in, charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        return new Utf8Rows(utf8, sniffed.delimiter(), sniffed.encoding().name());
    }

    List<String> header() {
        return header;
    }

    char delimiter() {
        return (char) delimiter;
    }

    /// The encoding read, as [CsvInput#encoding] names it.
    String encoding() {
        return encoding;
    }

    /// What is wrong with a character `c` after a quoted field's closing quote.
    static String afterClosingQuote(char c) {
        return "a character after a quoted field's closing quote: '" + c + "' (a quoted field ends at its closing"
                + " quote; write a quote inside one as \"\")";
    }

    /// Moves to the next data row; false at the end.
    boolean next() throws IOException {
        while (true) {
            int r = scan();
            if (r == ROW) {
                for (int e = 0; e < escapes; e++) {
                    unescape(escaped[e]);
                }
                return true;
            }
            if (r == END) {
                return false;
            }
            fill();
        }
    }

    /// The line the row starts on.
    long line() {
        return rowLine;
    }

    int fields() {
        return count;
    }

    /// The buffer holding the row's fields.
    byte[] bytes() {
        return buf;
    }

    int from(int field) {
        return from[field];
    }

    int to(int field) {
        return to[field];
    }

    String text(int field) {
        return new String(buf, from[field], to[field] - from[field], StandardCharsets.UTF_8);
    }

    /// Reads one row from `pos`: [#ROW] with `pos` after it, [#END], or [#MORE] when the buffer
    /// ends first (`pos` and `line` then stay at the row's start, to be read again).
    private int scan() {
        final byte[] b = buf;
        final byte d = delimiter;
        final long delimiters = this.delimiters;
        int p = pos;
        long ln = line;
        while (true) { // empty lines
            if (p == end) {
                pos = p;
                line = ln;
                return eof ? END : MORE;
            }
            byte c = b[p];
            if (c == '\n') {
                p++;
                ln++;
            } else if (c == '\r') {
                if (p + 1 == end && !eof) {
                    pos = p;
                    line = ln;
                    return MORE; // a \n may follow
                }
                p += p + 1 < end && b[p + 1] == '\n' ? 2 : 1;
                ln++;
            } else {
                break;
            }
        }
        pos = p;
        line = ln;
        rowLine = ln;
        int n = 0;
        escapes = 0;
        while (true) {
            if (n == from.length) {
                grow();
            }
            if (p < end && b[p] == '"') {
                int q = quotedEnd(b, p + 1, ln);
                if (q < 0) {
                    return MORE;
                }
                ln += quotedLines;
                from[n] = p + 1;
                to[n] = q;
                if (doubled) {
                    if (escapes == escaped.length) {
                        escaped = Arrays.copyOf(escaped, 2 * escapes);
                    }
                    escaped[escapes++] = n;
                }
                p = q + 1;
                if (p < end) {
                    byte c = b[p];
                    if (c != d && c != '\n' && c != '\r') {
                        throw new CsvFormatException(rowLine, afterClosingQuote((char) (c & 0xFF)));
                    }
                } else if (!eof) {
                    return MORE;
                }
            } else {
                int q = unquotedEnd(b, p, ln);
                if (q < 0) {
                    return MORE;
                }
                from[n] = p;
                to[n] = q;
                p = q;
            }
            n++;
            if (p == end) {
                break; // the last row, without a line end
            }
            byte c = b[p];
            if (c == d) {
                p++;
                continue;
            }
            if (c == '\r') {
                if (p + 1 == end && !eof) {
                    return MORE;
                }
                p += p + 1 < end && b[p + 1] == '\n' ? 2 : 1;
            } else {
                p++;
            }
            ln++;
            break;
        }
        count = n;
        pos = p;
        line = ln;
        return ROW;
    }

    /// Where the unquoted field from `q` ends (its delimiter, line end or the end of the input),
    /// or -1 when the buffer ends first. A method of its own, like [#quotedEnd]: with every loop
    /// inside [#scan], C2 compiled `scan` nine times in a one-second conversion (an OSR
    /// compilation at each loop, at each tier: 200 ms); apart, seven times in 120 ms.
    private int unquotedEnd(byte[] b, int q, long ln) {
        final long delimiters = this.delimiters;
        final byte d = delimiter;
        while (q < end) {
            // eight bytes at a time up to the first delimiter, line end or non-ASCII byte
            while (q + 8 <= end) {
                long w = (long) LONGS.get(b, q);
                long m = zeros(w ^ delimiters) | zeros(w ^ LFS) | zeros(w ^ CRS) | w & HIGH_BITS;
                if (m != 0) {
                    q += Long.numberOfTrailingZeros(m) >>> 3;
                    break;
                }
                q += 8;
            }
            if (q == end) {
                break;
            }
            byte c = b[q];
            if (c == d || c == '\n' || c == '\r') {
                return q;
            }
            if (c < 0) {
                int len = utf8(b, q, ln);
                if (len == 0) {
                    return -1;
                }
                q += len;
            } else {
                q++;
            }
        }
        return eof ? q : -1;
    }

    /// Set by [#quotedEnd]: whether the field holds doubled quotes, and the line ends inside it.
    private boolean doubled;
    private int quotedLines;

    /// Where the quoted field whose text starts at `q`, on line `ln`, has its closing quote, or
    /// -1 when the buffer ends first.
    private int quotedEnd(byte[] b, int q, long ln) {
        boolean doubledQuotes = false;
        int lines = 0;
        while (true) {
            if (q == end) {
                if (eof) {
                    throw new CsvFormatException(rowLine, "unterminated quoted field (a \" is opened and never closed)");
                }
                return -1;
            }
            byte c = b[q];
            if (c == '"') {
                if (q + 1 == end && !eof) {
                    return -1; // a doubled quote, or the closing one?
                }
                if (q + 1 < end && b[q + 1] == '"') {
                    doubledQuotes = true;
                    q += 2;
                    continue;
                }
                doubled = doubledQuotes;
                quotedLines = lines;
                return q;
            }
            if (c == '\n') {
                lines++;
            } else if (c == '\r') {
                if (q + 1 == end && !eof) {
                    return -1;
                }
                if (q + 1 == end || b[q + 1] != '\n') {
                    lines++;
                }
            } else if (c < 0) {
                int len = utf8(b, q, ln + lines);
                if (len == 0) {
                    return -1;
                }
                q += len;
                continue;
            }
            q++;
        }
    }

    /// A mark in the high bit of each byte of `x` that is zero, and perhaps of bytes above it:
    /// the lowest mark is always right.
    private static long zeros(long x) {
        return x - 0x0101010101010101L & ~x & HIGH_BITS;
    }

    /// The length of the UTF-8 sequence at `q`, 0 when the buffer ends inside it; throws when
    /// the bytes are not UTF-8.
    private int utf8(byte[] b, int q, long ln) {
        int lead = b[q] & 0xFF;
        int len;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            len = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            len = 3;
            if (lead == 0xE0) {
                min = 0xA0;
            } else if (lead == 0xED) {
                max = 0x9F; // no surrogates
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            len = 4;
            if (lead == 0xF0) {
                min = 0x90;
            } else if (lead == 0xF4) {
                max = 0x8F;
            }
        } else {
            throw notUtf8(ln);
        }
        for (int i = 1; i < len; i++) {
            if (q + i == end) {
                if (eof) {
                    throw notUtf8(ln);
                }
                return 0;
            }
            int c = b[q + i] & 0xFF;
            if (c < (i == 1 ? min : 0x80) || c > (i == 1 ? max : 0xBF)) {
                throw notUtf8(ln);
            }
        }
        return len;
    }

    private CsvFormatException notUtf8(long ln) {
        return new CsvFormatException(ln, "bytes that are not valid " + encoding
                + " (its first 64 KiB were, so it was not taken for a legacy 8-bit file)");
    }

    private void grow() {
        from = Arrays.copyOf(from, 2 * from.length);
        to = Arrays.copyOf(to, 2 * to.length);
    }

    /// Undoes a quoted field's doubled quotes, moving its end.
    private void unescape(int field) {
        byte[] b = buf;
        int w = from[field];
        for (int r = from[field]; r < to[field]; r++) {
            b[w++] = b[r];
            if (b[r] == '"') {
                r++; // its double
            }
        }
        to[field] = w;
    }

    /// Keeps the unread bytes at the start of the buffer (growing it when a row fills it) and
    /// reads more after them.
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, 2 * buf.length);
        }
        int n;
        try {
            n = in.read(buf, end, buf.length - end);
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(line, "bytes that are not valid " + encoding);
        }
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /// Text from a reader as UTF-8 bytes, for files in another encoding.
    private static final class ToUtf8 extends InputStream {
        private final Reader reader;
        private final char[] chars = new char[1 << 14];
        private int held; // a high surrogate kept for the next chunk
        private byte[] bytes = new byte[0];
        private int at;

        ToUtf8(Reader reader) {
            this.reader = reader;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (at == bytes.length) {
                int n = reader.read(chars, held, chars.length - held);
                if (n < 0) {
                    if (held == 0) {
                        return -1;
                    }
                    n = 0; // a high surrogate last of all (no decoder reporting errors makes one): as String writes it
                }
                int total = held + n;
                held = total > 0 && Character.isHighSurrogate(chars[total - 1]) && n > 0 ? 1 : 0;
                bytes = new String(chars, 0, total - held).getBytes(StandardCharsets.UTF_8);
                at = 0;
                if (held == 1) {
                    chars[0] = chars[total - 1];
                }
            }
            int k = Math.min(len, bytes.length - at);
            System.arraycopy(bytes, at, b, off, k);
            at += k;
            return k;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
