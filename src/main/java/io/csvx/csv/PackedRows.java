package io.csvx.csv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/// Rows as the diff holds them: per row its line, its key's fields, then the compared fields,
/// each field a length and its UTF-8 bytes, all in one array. Two rows have the same key (or
/// values) exactly when those bytes are the same, so rows are matched and compared without a
/// String; only a change is decoded. The bytes are also the format of a partition's file
/// ([#record]), so a file read back is indexed, not parsed.
///
/// A record: the line (8 bytes), a hash of the key (4 bytes), the key's length and the values'
/// length (each a varint), the key's bytes, the values' bytes. The hash, made once when the row
/// is read, places the row in a partition and in a join's table.
final class PackedRows {
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private byte[] data;
    private int size;
    private long[] lines;
    private int[] hashes;
    private int[] keyFrom;
    private int[] keyTo;
    private int[] valuesTo;
    private int n;

    PackedRows(int rows, int bytes) {
        data = new byte[Math.max(bytes, 64)];
        lines = new long[Math.max(rows, 4)];
        hashes = new int[lines.length];
        keyFrom = new int[lines.length];
        keyTo = new int[lines.length];
        valuesTo = new int[lines.length];
    }

    /// Makes these the rows of `records` (up to `length`), indexed in place.
    void reset(byte[] records, int length) {
        data = records;
        n = 0;
        int at = 0;
        while (at < length) {
            at = index(at);
        }
        size = length;
    }

    /// Indexes the record at `at`; answers where the next starts.
    private int index(int at) {
        if (n == lines.length) {
            int more = 2 * n;
            lines = Arrays.copyOf(lines, more);
            hashes = Arrays.copyOf(hashes, more);
            keyFrom = Arrays.copyOf(keyFrom, more);
            keyTo = Arrays.copyOf(keyTo, more);
            valuesTo = Arrays.copyOf(valuesTo, more);
        }
        byte[] b = data;
        lines[n] = (long) (b[at] & 0xff) << 56 | (long) (b[at + 1] & 0xff) << 48 | (long) (b[at + 2] & 0xff) << 40
                | (long) (b[at + 3] & 0xff) << 32 | (long) (b[at + 4] & 0xff) << 24 | (b[at + 5] & 0xff) << 16
                | (b[at + 6] & 0xff) << 8 | b[at + 7] & 0xff;
        hashes[n] = (b[at + 8] & 0xff) << 24 | (b[at + 9] & 0xff) << 16 | (b[at + 10] & 0xff) << 8 | b[at + 11] & 0xff;
        at += 12;
        int keyLength = varint(b, at);
        at += varintSize(keyLength);
        int valuesLength = varint(b, at);
        at += varintSize(valuesLength);
        keyFrom[n] = at;
        keyTo[n] = at + keyLength;
        valuesTo[n] = at + keyLength + valuesLength;
        n++;
        return at + keyLength + valuesLength;
    }

    /// Appends a record ([Packer#record]).
    void add(byte[] record, int length) {
        add(record, 0, length);
    }

    /// Appends the record at `from` in `records`.
    void add(byte[] records, int from, int length) {
        if (size + length > data.length) {
            data = Arrays.copyOf(data, Math.max(size + length, 2 * data.length));
        }
        System.arraycopy(records, from, data, size, length);
        index(size);
        size += length;
    }

    int rows() {
        return n;
    }

    /// The bytes of every record.
    int bytes() {
        return size;
    }

    byte[] data() {
        return data;
    }

    long line(int row) {
        return lines[row];
    }

    int keyFrom(int row) {
        return keyFrom[row];
    }

    int keyTo(int row) {
        return keyTo[row];
    }

    int valuesTo(int row) {
        return valuesTo[row];
    }

    /// Where the record of `row` starts, and its length, for copying it whole.
    int recordFrom(int row) {
        return keyFrom[row] - 12 - varintSize(keyTo[row] - keyFrom[row]) - varintSize(valuesTo[row] - keyTo[row]);
    }

    boolean sameKey(int row, PackedRows other, int otherRow) {
        return Arrays.equals(data, keyFrom[row], keyTo[row], other.data, other.keyFrom[otherRow], other.keyTo[otherRow]);
    }

    boolean sameValues(int row, PackedRows other, int otherRow) {
        return Arrays.equals(data, keyTo[row], valuesTo[row], other.data, other.keyTo[otherRow], other.valuesTo[otherRow]);
    }

    /// A hash of the key's bytes, the same for the same key in either version.
    int keyHash(int row) {
        return hashes[row];
    }

    /// Eight bytes a step (a byte a step was an eighth of the partitioning's time).
    static int hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ to - from;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = Long.rotateLeft((h ^ (long) LONGS.get(b, i)) * 0xC2B2AE3D27D4EB4FL, 31);
        }
        long tail = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        h = (h ^ tail) * 0x9FB21C651E98DF25L;
        return (int) (h ^ h >>> 32);
    }

    /// The fields from `from` to `to` decoded, into `into` from `at`; answers the next place.
    static int decode(byte[] b, int from, int to, String[] into, int at) {
        int p = from;
        while (p < to) {
            int length = varint(b, p);
            p += varintSize(length);
            into[at++] = new String(b, p, length, StandardCharsets.UTF_8);
            p += length;
        }
        return at;
    }

    /// The varint at `p`: seven bits a byte, low first, the high bit set on all but the last.
    static int varint(byte[] b, int p) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[p++];
            v |= (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }

    static int varintSize(int v) {
        int size = 1;
        while ((v >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    /// Makes records from rows as a reader has them: the key's columns, then the compared ones.
    static final class Packer {
        private final int[] at;
        private final int keyColumns;
        private byte[] buf = new byte[1 << 12];
        private int length;
        private int hash;

        /// @param at where, in a row, the key's columns and then the compared columns are
        Packer(int[] at, int keyColumns) {
            this.at = at;
            this.keyColumns = keyColumns;
        }

        /// Packs the reader's current row into [#record], [#length] long.
        void pack(Utf8Rows in) {
            int keyLength = 0;
            int valuesLength = 0;
            for (int i = 0; i < at.length; i++) {
                int f = in.to(at[i]) - in.from(at[i]);
                int s = varintSize(f) + f;
                if (i < keyColumns) {
                    keyLength += s;
                } else {
                    valuesLength += s;
                }
            }
            int total = 12 + varintSize(keyLength) + varintSize(valuesLength) + keyLength + valuesLength;
            if (total > buf.length) {
                buf = new byte[Math.max(total, 2 * buf.length)];
            }
            byte[] b = buf;
            long line = in.line();
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (line >>> 56 - 8 * i);
            }
            int p = putVarint(b, 12, keyLength);
            p = putVarint(b, p, valuesLength);
            int keyFrom = p;
            byte[] src = in.bytes();
            for (int i = 0; i < at.length; i++) {
                int from = in.from(at[i]);
                int f = in.to(at[i]) - from;
                p = putVarint(b, p, f);
                System.arraycopy(src, from, b, p, f);
                p += f;
                if (i == keyColumns - 1) {
                    hash = PackedRows.hash(b, keyFrom, p);
                }
            }
            b[8] = (byte) (hash >>> 24);
            b[9] = (byte) (hash >>> 16);
            b[10] = (byte) (hash >>> 8);
            b[11] = (byte) hash;
            length = p;
        }

        byte[] record() {
            return buf;
        }

        int length() {
            return length;
        }

        /// The hash of the packed key, as [PackedRows#keyHash] answers it.
        int keyHash() {
            return hash;
        }

        private static int putVarint(byte[] b, int p, int v) {
            while ((v & ~0x7F) != 0) {
                b[p++] = (byte) (v & 0x7F | 0x80);
                v >>>= 7;
            }
            b[p++] = (byte) v;
            return p;
        }
    }
}
