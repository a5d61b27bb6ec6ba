package io.csvx.csv;

import io.csvx.pipeline.ExternalSorter;
import io.csvx.pipeline.RowFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/// Two versions not in key order, compared without sorting them: each version's rows (the
/// key's values, then the compared values packed into one text) go to partitions by a hash of
/// the key, in memory while a version has at most `rowsInMemory` rows, else in files; then each
/// pair of partitions is joined in memory (the older one in a hash map, the newer one streamed
/// past it), on as many threads as there are cores.
/// A partition pair too big for memory is split again with another hash. Only the changes are
/// then sorted, by key, which is what makes this faster than sorting both versions whole.
final class KeyPartitions implements AutoCloseable {
    /// Partitions a spilled version is split into at first: 2,000,000 rows make ~8,000 each.
    static final int FIRST_SPLIT = 256;
    /// Partitions a partition too big for memory is split into.
    static final int SPLIT_AGAIN = 16;
    /// Splits at most this deep; below, a partition is joined however big (only many rows with
    /// one key, which the join refuses at once, get there).
    private static final int MAX_DEPTH = 4;

    /// What the join found: rows unchanged (a count per partition) and each change row. Called
    /// from several threads at once.
    interface Found {
        void unchanged(long rows);

        void change(String[] changeRow) throws IOException;
    }

    private final int k;
    private final int rowsInMemory;
    private final Path tempDir;
    /// Every partition file made, removed on close; splits add to it from the join's threads.
    private final List<Path> files = java.util.Collections.synchronizedList(new ArrayList<>());
    final Side older = new Side();
    final Side newer = new Side();

    KeyPartitions(int keyColumns, int rowsInMemory, Path tempDir) {
        this.k = keyColumns;
        this.rowsInMemory = rowsInMemory;
        this.tempDir = tempDir;
    }

    /// One version's rows: in memory, or spread over partition files.
    final class Side {
        private List<ExternalSorter.Line> memory = new ArrayList<>();
        private Part[] parts;
        private RowFile.Writer[] writers;

        private Side() {
        }

        void add(ExternalSorter.Line l) throws IOException {
            if (writers != null) {
                int p = partition(l.row(), 0, FIRST_SPLIT);
                writers[p].write(l);
                parts[p].rows++;
                return;
            }
            memory.add(l);
            if (memory.size() > rowsInMemory) {
                spill();
            }
        }

        private void spill() throws IOException {
            parts = new Part[FIRST_SPLIT];
            writers = new RowFile.Writer[FIRST_SPLIT];
            for (int i = 0; i < FIRST_SPLIT; i++) {
                parts[i] = new Part(newFile(), null);
                writers[i] = new RowFile.Writer(Files.newOutputStream(parts[i].file), 1 << 14);
            }
            List<ExternalSorter.Line> held = memory;
            memory = null;
            for (ExternalSorter.Line l : held) {
                add(l);
            }
        }

        private void finish() throws IOException {
            if (writers != null) {
                for (RowFile.Writer w : writers) {
                    w.close();
                }
                writers = null;
            }
        }
    }

    /// A partition's rows, read once; null after the last.
    private interface Rows extends AutoCloseable {
        ExternalSorter.Line next() throws IOException;

        @Override
        void close() throws IOException;
    }

    /// A partition: rows in a file, or in memory.
    private static final class Part {
        final Path file;
        final List<ExternalSorter.Line> memory;
        long rows;

        Part(Path file, List<ExternalSorter.Line> memory) {
            this.file = file;
            this.memory = memory;
            this.rows = memory == null ? 0 : memory.size();
        }

        /// Its rows, in the order they were added; the caller closes the reading.
        Rows rows() throws IOException {
            if (memory == null) {
                RowFile.Reader r = new RowFile.Reader(Files.newInputStream(file));
                return new Rows() {
                    @Override
                    public ExternalSorter.Line next() throws IOException {
                        return r.next();
                    }

                    @Override
                    public void close() throws IOException {
                        r.close();
                    }
                };
            }
            Iterator<ExternalSorter.Line> it = memory.iterator();
            return new Rows() {
                @Override
                public ExternalSorter.Line next() {
                    return it.hasNext() ? it.next() : null;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /// Joins every pair of partitions, telling `found` what each row is.
    void join(List<String> key, int compared, Found found) throws IOException {
        older.finish();
        newer.finish();
        if (older.parts == null && newer.parts == null) {
            join(new Part(null, older.memory), new Part(null, newer.memory), key, compared, found, 0);
            return;
        }
        for (Side s : List.of(older, newer)) {
            if (s.parts == null) {
                s.spill(); // both versions must be split alike
                s.finish();
            }
        }
        // the pairs are independent: joined on as many threads as there are cores (each holds one
        // partition in memory at a time)
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().daemon(true).name("csvx-diff-join-" + t).start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < FIRST_SPLIT && failed.get() == null; i = next.getAndIncrement()) {
                        join(older.parts[i], newer.parts[i], key, compared, found, 1);
                        Files.deleteIfExists(older.parts[i].file);
                        Files.deleteIfExists(newer.parts[i].file);
                    }
                } catch (IOException | RuntimeException | Error e) {
                    failed.compareAndSet(null, e);
                }
            }));
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                workers.forEach(Thread::interrupt);
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while comparing");
            }
        }
        Throwable t = failed.get();
        if (t instanceof IOException io) {
            throw io;
        } else if (t instanceof RuntimeException r) {
            throw r;
        } else if (t instanceof Error e) {
            throw e;
        }
    }

    private void join(Part a, Part b, List<String> key, int compared, Found found, int depth) throws IOException {
        if ((a.rows > rowsInMemory || b.rows > rowsInMemory) && depth < MAX_DEPTH) {
            Part[] as = split(a, depth);
            Part[] bs = split(b, depth);
            for (int i = 0; i < SPLIT_AGAIN; i++) {
                join(as[i], bs[i], key, compared, found, depth + 1);
                Files.deleteIfExists(as[i].file);
                Files.deleteIfExists(bs[i].file);
            }
            return;
        }
        Map<Object, ExternalSorter.Line> before = new HashMap<>((int) Math.min(Integer.MAX_VALUE / 2, a.rows * 2 + 16));
        try (Rows rows = a.rows()) {
            for (ExternalSorter.Line l = rows.next(); l != null; l = rows.next()) {
                ExternalSorter.Line first = before.putIfAbsent(keyOf(l.row()), l);
                if (first != null) {
                    throw CsvDiff.duplicate(CsvDiff.Version.OLD, key, described(first), described(l));
                }
            }
        }
        long unchanged = 0;
        Map<Object, Long> seen = new HashMap<>((int) Math.min(Integer.MAX_VALUE / 2, b.rows * 2 + 16));
        try (Rows rows = b.rows()) {
            for (ExternalSorter.Line l = rows.next(); l != null; l = rows.next()) {
                Object id = keyOf(l.row());
                Long firstLine = seen.putIfAbsent(id, l.line());
                if (firstLine != null) {
                    throw CsvDiff.duplicate(CsvDiff.Version.NEW, key, new ExternalSorter.Line(firstLine, described(l).row()),
                            described(l));
                }
                ExternalSorter.Line was = before.remove(id);
                if (was == null) {
                    found.change(CsvDiff.packedChange(l.row(), k, "a", null, null, compared));
                } else if (was.row()[k].equals(l.row()[k])) {
                    unchanged++;
                } else {
                    found.change(CsvDiff.packedChange(l.row(), k, "c", was.row(), l.row(), compared));
                }
            }
        }
        found.unchanged(unchanged);
        for (ExternalSorter.Line gone : before.values()) {
            found.change(CsvDiff.packedChange(gone.row(), k, "r", null, null, compared));
        }
    }

    private Part[] split(Part p, int depth) throws IOException {
        Part[] out = new Part[SPLIT_AGAIN];
        RowFile.Writer[] writers = new RowFile.Writer[SPLIT_AGAIN];
        try {
            for (int i = 0; i < SPLIT_AGAIN; i++) {
                out[i] = new Part(newFile(), null);
                writers[i] = new RowFile.Writer(Files.newOutputStream(out[i].file), 1 << 14);
            }
            try (Rows rows = p.rows()) {
                for (ExternalSorter.Line l = rows.next(); l != null; l = rows.next()) {
                    int i = partition(l.row(), depth + 1, SPLIT_AGAIN);
                    writers[i].write(l);
                    out[i].rows++;
                }
            }
        } finally {
            for (RowFile.Writer w : writers) {
                if (w != null) {
                    w.close();
                }
            }
        }
        return out;
    }

    /// A row as [CsvDiff#duplicate] describes it (sort forms, then the key).
    private ExternalSorter.Line described(ExternalSorter.Line l) {
        return new ExternalSorter.Line(l.line(), CsvDiff.packedChange(l.row(), k, "", null, null, 0));
    }

    private Object keyOf(String[] row) {
        return k == 1 ? row[0] : Arrays.asList(Arrays.copyOf(row, k));
    }

    /// The partition of a row's key, another spread for every `seed`.
    private int partition(String[] row, int seed, int parts) {
        int h = seed * 0x9E3779B9;
        for (int i = 0; i < k; i++) {
            h = 31 * h + row[i].hashCode();
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return Math.floorMod(h, parts);
    }

    private Path newFile() throws IOException {
        Path f = Files.createTempFile(tempDir, "csvx-diff-", ".part");
        files.add(f);
        return f;
    }

    @Override
    public void close() throws IOException {
        for (Side s : List.of(older, newer)) {
            if (s.writers != null) {
                for (RowFile.Writer w : s.writers) {
                    try {
                        w.close();
                    } catch (IOException ignored) {
                        // the file goes below anyway
                    }
                }
            }
        }
        synchronized (files) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }
}
