package io.csvx.csv;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/// Guesses a file's encoding and delimiter from its first bytes.
final class Sniffer {
    static final char[] CANDIDATES = {',', ';', '\t', '|'};
    private static final int LINES = 20;

    private Sniffer() {
    }

    /// The encoding and how many BOM bytes to skip.
    record Encoding(Charset charset, int bomLength, String name) {
    }

    static Encoding encoding(byte[] sample, int length, Charset fallback) {
        if (length >= 3 && (sample[0] & 0xFF) == 0xEF && (sample[1] & 0xFF) == 0xBB && (sample[2] & 0xFF) == 0xBF) {
            return new Encoding(StandardCharsets.UTF_8, 3, "UTF-8 (BOM)");
        }
        if (length >= 2 && (sample[0] & 0xFF) == 0xFF && (sample[1] & 0xFF) == 0xFE) {
            return new Encoding(StandardCharsets.UTF_16LE, 2, "UTF-16LE (BOM)");
        }
        if (length >= 2 && (sample[0] & 0xFF) == 0xFE && (sample[1] & 0xFF) == 0xFF) {
            return new Encoding(StandardCharsets.UTF_16BE, 2, "UTF-16BE (BOM)");
        }
        return isUtf8(sample, length) ? new Encoding(StandardCharsets.UTF_8, 0, "UTF-8")
                : new Encoding(fallback, 0, fallback.name());
    }

    /// True when the sample decodes as UTF-8; a sequence cut off by the end of the sample is allowed.
    private static boolean isUtf8(byte[] sample, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(sample, 0, length);
        CharBuffer out = CharBuffer.allocate(length + 1);
        var result = decoder.decode(in, out, false);
        if (result.isError()) {
            return false;
        }
        return in.remaining() < 4; // at most one incomplete sequence left at the end
    }

    /// The candidate that splits the first lines into the same number of fields most often.
    static char delimiter(String text) {
        String[] lines = firstLines(text);
        char best = ',';
        int bestScore = 0;
        for (char c : CANDIDATES) {
            int score = score(lines, c);
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    /// Lines that agree with the first line's field count, times that count; 0 when the first line has none.
    private static int score(String[] lines, char c) {
        if (lines.length == 0) {
            return 0;
        }
        int first = count(lines[0], c);
        if (first == 0) {
            return 0;
        }
        int agreeing = 0;
        for (String line : lines) {
            if (count(line, c) == first) {
                agreeing++;
            }
        }
        return agreeing * (first + 1);
    }

    private static int count(String line, char c) {
        int n = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == c && !quoted) {
                n++;
            }
        }
        return n;
    }

    private static String[] firstLines(String text) {
        String[] all = text.split("\r\n|\n|\r", LINES + 1);
        int n = Math.min(all.length, LINES);
        if (all.length > LINES || (n > 1 && !text.endsWith("\n") && !text.endsWith("\r"))) {
            n = Math.max(1, n - 1); // the last line of a sample may be cut short
        }
        String[] out = new String[n];
        System.arraycopy(all, 0, out, 0, n);
        return Arrays.stream(out).filter(l -> !l.isEmpty()).toArray(String[]::new);
    }
}
