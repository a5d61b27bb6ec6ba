package io.csvx.pipeline;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/// Sorts rows that may not fit in memory: up to `rowsInMemory` are sorted in memory, beyond that
/// sorted runs are spilled to temporary CSV files and merged at the end. Stable: rows that
/// compare equal keep their input order.
public final class ExternalSorter implements AutoCloseable {
    /// A row and the input line it started on.
    public record Line(long line, String[] row) {
    }

    /// Receives the sorted rows.
    @FunctionalInterface
    public interface Sink {
        void accept(long line, String[] row) throws IOException;
    }

    private final Comparator<Line> order;
    private final int rowsInMemory;
    private final Path tempDir;
    private final List<Line> buffer = new ArrayList<>();
    /// The most runs merged at once, so files open at once: well within a process's limit.
    static final int MAX_RUNS = 128;

    private final List<Path> runs = new ArrayList<>();
    private final List<CsvReader<CsvRecord>> readers = new ArrayList<>();

    public ExternalSorter(List<String> header, List<SortKey> keys, int rowsInMemory, Path tempDir) {
        this(rowOrder(header, keys), rowsInMemory, tempDir);
    }

    /// Sorts by `rowOrder`, rows it finds equal in input order.
    public ExternalSorter(Comparator<String[]> rowOrder, int rowsInMemory, Path tempDir) {
        this.order = Comparator.comparing(Line::row, rowOrder).thenComparingLong(Line::line);
        this.rowsInMemory = rowsInMemory;
        this.tempDir = tempDir;
    }

    private static Comparator<String[]> rowOrder(List<String> header, List<SortKey> keys) {
        Comparator<String[]> c = (a, b) -> 0;
        for (SortKey k : keys) {
            int i = Steps.index(header, k.column(), "sort");
            Comparator<String[]> byKey = (a, b) -> compare(a[i], b[i]);
            c = c.thenComparing(k.descending() ? byKey.reversed() : byKey);
        }
        return c;
    }

    /// A total order: numbers first, by value; then everything else, as text.
    static int compare(String a, String b) {
        BigDecimal x = Expression.number(a);
        BigDecimal y = Expression.number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        if (x != null || y != null) {
            return x != null ? -1 : 1;
        }
        return a.compareTo(b);
    }

    public void add(long line, String[] row) throws IOException {
        buffer.add(new Line(line, row));
        if (buffer.size() >= rowsInMemory) {
            spill();
        }
    }

    private void spill() throws IOException {
        buffer.sort(order);
        Iterator<Line> sorted = buffer.iterator();
        runs.add(write(() -> sorted.hasNext() ? sorted.next() : null));
        buffer.clear();
        if (runs.size() >= MAX_RUNS) {
            // the oldest half merged into one, so that a merge never opens more than MAX_RUNS files
            List<Path> oldest = new ArrayList<>(runs.subList(0, MAX_RUNS / 2));
            List<CsvReader<CsvRecord>> open = new ArrayList<>();
            try {
                Path merged = write(merge(oldest, open));
                runs.removeAll(oldest);
                runs.add(merged);
            } finally {
                for (CsvReader<CsvRecord> r : open) {
                    r.close();
                }
                for (Path run : oldest) {
                    Files.deleteIfExists(run);
                }
            }
        }
    }

    /// A new run file holding `rows`, in their order.
    private Path write(Cursor rows) throws IOException {
        Path run = Files.createTempFile(tempDir, "csvx-sort-", ".csv");
        try (CsvWriter w = CsvWriter.builder().build(run, StandardCharsets.UTF_8)) {
            for (Line l = rows.next(); l != null; l = rows.next()) {
                String[] record = new String[l.row().length + 1];
                record[0] = Long.toString(l.line());
                System.arraycopy(l.row(), 0, record, 1, l.row().length);
                w.writeRecord(record);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(run);
            throw e;
        }
        return run;
    }

    /// Rows in order, one at a time; [#next] answers null after the last.
    @FunctionalInterface
    public interface Cursor {
        Line next() throws IOException;
    }

    /// Emits every row in order.
    public void drain(Sink sink) throws IOException {
        Cursor rows = sorted();
        for (Line l = rows.next(); l != null; l = rows.next()) {
            sink.accept(l.line(), l.row());
        }
    }

    /// Every row in order, read when asked for: two sorted inputs can so be walked side by side.
    /// The spilled runs stay open until [#close].
    public Cursor sorted() throws IOException {
        if (runs.isEmpty()) {
            buffer.sort(order);
            Iterator<Line> it = List.copyOf(buffer).iterator();
            buffer.clear();
            return () -> it.hasNext() ? it.next() : null;
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        return merge(runs, readers);
    }

    /// `these` runs merged, read as asked for; their readers join `open`, for the caller to close.
    private Cursor merge(List<Path> these, List<CsvReader<CsvRecord>> open) throws IOException {
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::line, order));
        for (Path run : these) {
            CsvReader<CsvRecord> r = CsvReader.builder().skipEmptyLines(false).ofCsvRecord(run, StandardCharsets.UTF_8);
            open.add(r);
            Iterator<CsvRecord> it = r.iterator();
            if (it.hasNext()) {
                heads.add(new Head(read(it.next()), it));
            }
        }
        return () -> {
            Head h = heads.poll();
            if (h == null) {
                return null;
            }
            try {
                if (h.rest().hasNext()) {
                    heads.add(new Head(read(h.rest().next()), h.rest()));
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return h.line();
        };
    }

    private record Head(Line line, Iterator<CsvRecord> rest) {
    }

    private static Line read(CsvRecord r) {
        List<String> f = r.getFields();
        return new Line(Long.parseLong(f.getFirst()), f.subList(1, f.size()).toArray(String[]::new));
    }

    /// Spilled runs on disk so far (for tests and logs).
    public int runs() {
        return runs.size();
    }

    @Override
    public void close() throws IOException {
        for (CsvReader<CsvRecord> r : readers) {
            r.close();
        }
        readers.clear();
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        runs.clear();
        buffer.clear();
    }
}
