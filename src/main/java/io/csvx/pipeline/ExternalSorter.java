package io.csvx.pipeline;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/// Sorts rows that may not fit in memory: up to `rowsInMemory` are sorted in memory, beyond that
/// sorted runs are spilled to temporary files (lengths and UTF-8 bytes) and merged at the end. Stable: rows that
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
    private final List<RowFile.Reader> readers = new ArrayList<>();

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
            List<RowFile.Reader> open = new ArrayList<>();
            try {
                Path merged = write(merge(oldest, open));
                runs.removeAll(oldest);
                runs.add(merged);
            } finally {
                for (RowFile.Reader r : open) {
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
        Path run = Files.createTempFile(tempDir, "csvx-sort-", ".run");
        // a run is read back by this class alone: lengths and UTF-8 bytes, no quoting to undo
        // opened without truncating (the file is new and empty): ext4 flushes a file truncated and
        // written again to disk when it is closed
        try (RowFile.Writer out = new RowFile.Writer(Files.newOutputStream(run, java.nio.file.StandardOpenOption.WRITE),
                1 << 16)) {
            for (Line l = rows.next(); l != null; l = rows.next()) {
                out.write(l);
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
    private Cursor merge(List<Path> these, List<RowFile.Reader> open) throws IOException {
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::line, order));
        for (Path run : these) {
            RowFile.Reader r = new RowFile.Reader(Files.newInputStream(run));
            open.add(r);
            Line first = r.next();
            if (first != null) {
                heads.add(new Head(first, r));
            }
        }
        return () -> {
            Head h = heads.poll();
            if (h == null) {
                return null;
            }
            Line next = h.rest().next();
            if (next != null) {
                heads.add(new Head(next, h.rest()));
            }
            return h.line();
        };
    }

    private record Head(Line line, RowFile.Reader rest) {
    }

    /// Spilled runs on disk so far (for tests and logs).
    public int runs() {
        return runs.size();
    }

    @Override
    public void close() throws IOException {
        for (RowFile.Reader r : readers) {
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
