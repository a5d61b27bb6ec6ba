package io.csvx.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/// Plain conversion to JSON or NDJSON straight from the CSV's bytes ([Utf8Rows]): no String per
/// field, each field's bytes copied into the output with JSON's escapes. What [Converter] does
/// when there is no pipeline, no listener and no rejects, byte for byte the same output
/// (`BytesToJsonTest` holds the two side by side).
final class BytesToJson {
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private BytesToJson() {
    }

    static Converter.Result convert(InputStream in, CsvInput.Options options, Converter.Outputs outputs, boolean lines,
                                    boolean inferTypes) throws IOException {
        try (Utf8Rows rows = Utf8Rows.open(in, options)) {
            List<String> header = rows.header();
            int n = header.size();
            byte[][] keys = JsonRecordWriter.keys(header);
            // rows are read on a thread of their own and handed over in batches: both cores work
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);
            Thread reader = Thread.ofPlatform().name("csvx-csv-reader").daemon(true).start(() -> read(rows, n, queue));
            try {
                OutputStream out = outputs.open(1);
                Utf8JsonOut json = new Utf8JsonOut(out);
                if (!lines) {
                    json.write((byte) '[');
                }
                long written = 0;
                while (true) {
                    Object item = queue.take();
                    if (item instanceof RuntimeException e) {
                        throw e; // the output is left unfinished, as the converter leaves it
                    }
                    if (item instanceof IOException e) {
                        throw e;
                    }
                    Batch batch = (Batch) item;
                    written = write(batch, keys, json, lines, inferTypes, written);
                    if (batch.last) {
                        break;
                    }
                }
                if (!lines) {
                    json.write((byte) ']');
                    json.write((byte) '\n');
                } else if (written > 0) {
                    json.write((byte) '\n');
                }
                json.flush();
                out.close();
                return new Converter.Result(written, written, 0, 0, n, rows.delimiter(), rows.encoding());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while converting");
            } finally {
                reader.interrupt(); // stops it when writing failed
            }
        }
    }

    /// Rows' fields copied out of the reader's buffer: each field a range of `data`.
    private static final class Batch {
        static final int ROWS = 2048;
        final byte[] data;
        final int[] bounds;
        int size;
        int rows;
        boolean last;

        Batch(int fields, int bytes) {
            this.data = new byte[bytes];
            this.bounds = new int[2 * fields * ROWS];
        }
    }

    private static void read(Utf8Rows rows, int n, BlockingQueue<Object> queue) {
        Batch batch = new Batch(n, 1 << 18);
        try {
            while (rows.next()) {
                if (rows.fields() != n) {
                    throw CsvFormatException.fieldCount(rows.line(), rows.fields(), n);
                }
                int length = rows.to(n - 1) - rows.from(0);
                if (batch.rows == Batch.ROWS || batch.size + length > batch.data.length) {
                    queue.put(batch);
                    batch = new Batch(n, Math.max(1 << 18, length));
                }
                byte[] b = rows.bytes();
                int at = 2 * n * batch.rows;
                for (int i = 0; i < n; i++) {
                    int from = rows.from(i);
                    int f = rows.to(i) - from;
                    System.arraycopy(b, from, batch.data, batch.size, f);
                    batch.bounds[at++] = batch.size;
                    batch.size += f;
                    batch.bounds[at++] = batch.size;
                }
                batch.rows++;
            }
            batch.last = true;
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the writer gave up
        } catch (IOException | RuntimeException e) {
            try {
                queue.put(batch); // the rows before the error are written, as the converter writes them
                queue.put(e);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /// Writes a batch's rows; answers the rows written so far.
    private static long write(Batch batch, byte[][] keys, Utf8JsonOut json, boolean lines, boolean inferTypes,
                              long written) throws IOException {
        int n = keys.length;
        byte[] b = batch.data;
        int[] bounds = batch.bounds;
        for (int r = 0; r < batch.rows; r++) {
            if (written > 0) {
                json.write(lines ? (byte) '\n' : (byte) ',');
            }
            json.write((byte) '{');
            int at = 2 * n * r;
            for (int i = 0; i < n; i++) {
                int from = bounds[at++];
                int to = bounds[at++];
                if (!inferTypes) {
                    json.string(keys[i], b, from, to);
                } else if (from == to) {
                    json.write(keys[i]);
                    json.write(NULL);
                } else if (literal(b, from, to) || number(b, from, to)) {
                    json.write(keys[i]);
                    json.raw(b, from, to); // a JSON number or literal exactly as written in the file
                } else {
                    json.string(keys[i], b, from, to);
                }
            }
            json.write((byte) '}');
            written++;
        }
        return written;
    }

    private static boolean literal(byte[] b, int from, int to) {
        return java.util.Arrays.equals(b, from, to, TRUE, 0, TRUE.length)
                || java.util.Arrays.equals(b, from, to, FALSE, 0, FALSE.length);
    }

    /// A JSON number as JSON writes it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
    static boolean number(byte[] b, int from, int to) {
        int i = from;
        if (i < to && b[i] == '-') {
            i++;
        }
        if (i == to) {
            return false;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        } else {
            return false;
        }
        if (i < to && b[i] == '.') {
            int digits = ++i;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == digits) {
                return false;
            }
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int digits = i;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == digits) {
                return false;
            }
        }
        return i == to;
    }
}
