package io.csvx.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/// Converts a CSV stream to another format, streaming. Parsing and writing run on two threads
/// joined by a small bounded queue of row batches, so both cores work and memory stays flat.
public final class Converter {
    private static final int BATCH = 2048;
    private static final int BATCHES_AHEAD = 4;

    private Converter() {
    }

    /// What a conversion read.
    public record Result(long rows, int columns, char delimiter, String encoding) {
    }

    /// One hand-off from the parser: rows, or the end (with the failure that ended it, if any).
    private record Batch(List<CsvInput.Row> rows, RuntimeException failure, boolean last) {
    }

    /// Reads `in` and writes `out`; throws [CsvFormatException] naming the line at fault. On
    /// failure the output is left unfinished (a JSON array is not closed), so nothing downstream
    /// mistakes it for a whole document.
    public static Result convert(InputStream in, CsvInput.Options options, OutputStream out, Format format,
                                 boolean inferTypes) throws IOException {
        try (CsvInput csv = CsvInput.open(in, options)) {
            RecordWriter writer = RecordWriter.of(format, out, inferTypes);
            writer.header(csv.header());
            BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
            Thread parser = Thread.ofPlatform().name("csvx-csv-parser").daemon(true).start(() -> parse(csv, queue));
            long rows = 0;
            try {
                while (true) {
                    Batch b = queue.take();
                    for (CsvInput.Row row : b.rows()) {
                        writer.row(row.line(), row.fields());
                    }
                    rows += b.rows().size();
                    if (b.failure() != null) {
                        throw b.failure();
                    }
                    if (b.last()) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                parser.interrupt(); // stops the parser if writing failed
            }
            writer.close();
            return new Result(rows, csv.header().size(), csv.delimiter(), csv.encoding());
        }
    }

    private static void parse(CsvInput csv, BlockingQueue<Batch> queue) {
        List<CsvInput.Row> rows = new ArrayList<>(BATCH);
        try {
            for (CsvInput.Row row = csv.next(); row != null; row = csv.next()) {
                rows.add(row);
                if (rows.size() == BATCH) {
                    queue.put(new Batch(rows, null, false));
                    rows = new ArrayList<>(BATCH);
                }
            }
            queue.put(new Batch(rows, null, true));
        } catch (CsvFormatException | UncheckedIOException e) {
            offer(queue, new Batch(rows, e, true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the writer gave up
        } catch (RuntimeException e) {
            offer(queue, new Batch(rows, e, true));
        }
    }

    private static void offer(BlockingQueue<Batch> queue, Batch b) {
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
