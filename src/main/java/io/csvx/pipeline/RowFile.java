package io.csvx.pipeline;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/// Rows on disk as only CSV-X reads them back: per row its line, its field count and each field
/// as a length and UTF-8 bytes (no quoting to undo), then a mark for the end. Written and read
/// through buffers of their own: the JDK's buffered streams take a lock on every call, and a row
/// makes two calls a field.
public final class RowFile {
    private RowFile() {
    }

    /// Writes rows; closing writes the end mark and closes the stream.
    public static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final byte[] buf;
        private int pos;

        public Writer(OutputStream out, int bufferSize) {
            this.out = out;
            this.buf = new byte[bufferSize];
        }

        public void write(ExternalSorter.Line l) throws IOException {
            putLong(l.line());
            putInt(l.row().length);
            for (String field : l.row()) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                putInt(bytes.length);
                put(bytes);
            }
        }

        private void room(int n) throws IOException {
            if (buf.length - pos < n) {
                out.write(buf, 0, pos);
                pos = 0;
            }
        }

        private void putInt(int v) throws IOException {
            room(4);
            buf[pos++] = (byte) (v >>> 24);
            buf[pos++] = (byte) (v >>> 16);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
        }

        private void putLong(long v) throws IOException {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }

        private void put(byte[] bytes) throws IOException {
            if (bytes.length > buf.length) {
                room(buf.length);
                out.write(bytes);
                return;
            }
            room(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        @Override
        public void close() throws IOException {
            try (out) {
                putLong(-1); // the end
                out.write(buf, 0, pos);
            }
        }
    }

    /// Reads rows back, one at a time.
    public static final class Reader implements AutoCloseable {
        private final InputStream in;
        private byte[] buf = new byte[1 << 16];
        private int pos;
        private int end;

        public Reader(InputStream in) {
            this.in = in;
        }

        /// Makes `n` bytes readable at `pos`.
        private void need(int n) throws IOException {
            if (end - pos >= n) {
                return;
            }
            if (n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(n, 2 * buf.length));
            }
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
            while (end < n) {
                int read = in.read(buf, end, buf.length - end);
                if (read < 0) {
                    throw new EOFException("a file of rows ends early");
                }
                end += read;
            }
        }

        private int getInt() throws IOException {
            need(4);
            int v = (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8
                    | buf[pos + 3] & 0xff;
            pos += 4;
            return v;
        }

        /// The next row, or null after the last.
        public ExternalSorter.Line next() throws IOException {
            long line = (long) getInt() << 32 | getInt() & 0xffffffffL;
            if (line < 0) {
                return null;
            }
            String[] row = new String[getInt()];
            for (int i = 0; i < row.length; i++) {
                int n = getInt();
                need(n);
                row[i] = new String(buf, pos, n, StandardCharsets.UTF_8);
                pos += n;
            }
            return new ExternalSorter.Line(line, row);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
