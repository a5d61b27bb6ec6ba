package io.csvx.csv;

import io.csvx.pipeline.ExternalSorter;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/// Two versions of a CSV compared by key, streaming in bounded memory, rows read and compared as
/// UTF-8 bytes ([Utf8Rows], [PackedRows]). Versions already in key order (an export by id, say)
/// are walked side by side as read; otherwise (the first rows tell, most often; else the diff
/// starts again from the first row out of order) both versions are split into partitions by a
/// hash of the key ([KeyPartitions]: on disk beyond `rowsInMemory` rows), each pair of partitions
/// is joined in memory and only the changes are sorted into key order. Rows match when their key's text
/// is the same; keys order as whole numbers when both are (`9` before `10`), else as text. The
/// columns compared are those both versions have, matched by name whatever their order; a column
/// only one version has is reported, not compared. A key that is missing, or that two rows of
/// one version share, makes the versions [Unusable] rather than a guess.
public final class CsvDiff {
    /// How many changes [Summary#first] keeps.
    public static final int FIRST = 20;

    public enum Kind {
        ADDED, REMOVED, CHANGED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /// One column of a changed row: its value before and after.
    public record Cell(String column, String before, String after) {
    }

    /// A row added, removed or changed (then with its changed columns), named by its key's values.
    public record Change(List<String> key, Kind kind, List<Cell> cells) {
    }

    /// What changed between the versions.
    ///
    /// @param changedByColumn for each compared column, the rows whose value in it changed
    /// @param first           the first [#FIRST] changes in key order
    public record Summary(List<String> key, long added, long removed, long changed, long unchanged,
                          Map<String, Long> changedByColumn, List<String> columnsAdded,
                          List<String> columnsRemoved, List<Change> first) {

        /// `312 added, 18 removed, 95 changed (amount 90, status 5), 39,575 unchanged`, with the
        /// columns that appeared or disappeared.
        public String sentence() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d added, %,d removed, %,d changed", added,
                    removed, changed));
            List<String> byColumn = changedByColumn.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue())).toList();
            if (!byColumn.isEmpty()) {
                s.append(" (").append(String.join(", ", byColumn)).append(')');
            }
            s.append(String.format(Locale.ROOT, ", %,d unchanged", unchanged));
            if (!columnsAdded.isEmpty()) {
                s.append("; columns added: ").append(String.join(", ", columnsAdded));
            }
            if (!columnsRemoved.isEmpty()) {
                s.append("; columns removed: ").append(String.join(", ", columnsRemoved));
            }
            return s.toString();
        }
    }

    public enum Version {
        OLD, NEW;

        public String label() {
            return this == OLD ? "the old version" : "the new version";
        }
    }

    /// A version that cannot be compared: which one, the line at fault (0: the whole file) and why.
    public static final class Unusable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Version version;
        private final long line;

        Unusable(Version version, long line, String message, Throwable cause) {
            super(version.label() + ": " + (line > 0 ? "line " + line + ": " : "") + message, cause);
            this.version = version;
            this.line = line;
        }

        public Version version() {
            return version;
        }

        public long line() {
            return line;
        }
    }

    /// Where changes go, in key order.
    public interface Sink extends Closeable {
        void change(Change change) throws IOException;

        Sink NONE = new Sink() {
            @Override
            public void change(Change change) {
            }

            @Override
            public void close() {
            }
        };
    }

    /// A version to compare, which may be read twice: once as it is and, when it turns out not to
    /// be in key order, again to sort it.
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    /// Where the changes go. Opened again, when a first reading in order had to give up, it must
    /// start the output afresh (the first sink is closed by then).
    @FunctionalInterface
    public interface Target {
        Sink open() throws IOException;
    }

    /// The diff file's formats: CSV (`key…,change,column,old,new`, a line per changed column)
    /// or NDJSON (a line per changed row).
    public enum Format {
        CSV, NDJSON
    }

    /// Rows of a version held in memory before it is partitioned on disk, the most rows of a
    /// partition joined in memory, and changes sorted in memory before a run goes to disk,
    /// unless said otherwise. (When versions were sorted whole, 20,000 to 25,000 rows a run were
    /// fastest under a 256 MiB heap; rows held longer are copied by the collector again and again.)
    public static final int ROWS_IN_MEMORY = 20_000;

    /// How the versions are read, how many rows are held in memory, and where what does not
    /// fit goes.
    public record Options(CsvInput.Options input, int rowsInMemory, Path tempDir) {
    }

    private CsvDiff() {
    }

    /// Compares `older` with `newer` by the columns `key`, writing each change, in key order, to a
    /// sink `target` opens.
    public static Summary diff(Source older, Source newer, List<String> key, Options options, Target target)
            throws IOException {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("name the key: the columns that identify a row");
        }
        try (Utf8Rows a = open(older.open(), Version.OLD, options); Utf8Rows b = open(newer.open(), Version.NEW, options);
             Sink sink = target.open()) {
            Plan plan = Plan.of(a, b, key);
            // each version's first rows tell, most often, whether it is in key order: if not, it
            // is partitioned from here, without reading it again
            Head x = Head.read(a, Version.OLD, plan);
            Head y = Head.read(b, Version.NEW, plan);
            if (!x.inOrder() || !y.inOrder()) {
                return partitioned(a, b, plan, x.rows(), y.rows(), options, sink);
            }
            // each version read and packed on a thread of its own, the two cores' worth of the work
            try (Batches xs = new Batches(a, Version.OLD, plan, x.rows(), "csvx-diff-old");
                 Batches ys = new Batches(b, Version.NEW, plan, y.rows(), "csvx-diff-new")) {
                return merge(xs, ys, plan, sink);
            }
        } catch (NotInOrder e) {
            // a version is out of key order further on: compare by hashed partitions, from the start
        }
        try (Utf8Rows a = open(older.open(), Version.OLD, options); Utf8Rows b = open(newer.open(), Version.NEW, options);
             Sink sink = target.open()) {
            Plan plan = Plan.of(a, b, key);
            return partitioned(a, b, plan, new PackedRows(1, 0), new PackedRows(1, 0), options, sink);
        }
    }

    /// Compares by hashed partitions ([KeyPartitions]), then sorts the changes into key order;
    /// `olderHead` and `newerHead` are rows already read from `a` and `b`.
    private static Summary partitioned(Utf8Rows a, Utf8Rows b, Plan plan, PackedRows olderHead, PackedRows newerHead,
                                       Options options, Sink sink) throws IOException {
        int k = plan.key().size();
        int c = plan.compared().size();
        try (KeyPartitions parts = new KeyPartitions(options.rowsInMemory(), options.tempDir());
             ExternalSorter changes = new ExternalSorter((x, y) -> compareKeys(x, y, k), options.rowsInMemory(),
                     options.tempDir())) {
            // the new version is read and partitioned on another thread meanwhile
            Batches.inParallel(() -> feed(a, Version.OLD, plan, olderHead, parts.older),
                    () -> feed(b, Version.NEW, plan, newerHead, parts.newer));
            Tally tally = new Tally(plan, sink);
            parts.join(new KeyPartitions.Found() {
                @Override
                public synchronized void unchanged(long rows) {
                    tally.unchanged += rows;
                }

                @Override
                public void change(PackedRows was, int wasRow, PackedRows is, int isRow) throws IOException {
                    String[] row = changeRow(was, wasRow, is, isRow, k, c);
                    synchronized (this) {
                        changes.add(0, row);
                    }
                }

                @Override
                public RuntimeException duplicate(Version version, long firstLine, PackedRows rows, int row) {
                    return CsvDiff.duplicate(version, plan.key(), firstLine, rows, row);
                }
            });
            // only the changes are sorted, into key order
            ExternalSorter.Cursor sorted = changes.sorted();
            for (ExternalSorter.Line l = sorted.next(); l != null; l = sorted.next()) {
                tally.add(l.row());
            }
            return tally.summary();
        }
    }

    /// A version's first rows, packed: up to [#ROWS], or up to the first out of key order.
    private record Head(PackedRows rows, boolean inOrder) {
        static final int ROWS = 256;

        static Head read(Utf8Rows in, Version version, Plan plan) throws IOException {
            PackedRows.Packer packer = new PackedRows.Packer(plan.columnsOf(version), plan.key().size());
            PackedRows rows = new PackedRows(ROWS, 1 << 15);
            while (rows.rows() < ROWS && next(in, version)) {
                packer.pack(in);
                rows.add(packer.record(), packer.length());
                if (!follows(null, rows, version, plan)) {
                    return new Head(rows, false);
                }
            }
            return new Head(rows, true);
        }
    }

    /// Whether the last row of `rows` comes after the one before it (in `rows`, or else the last
    /// of `before`, when there is one) in key order; throws when both have the same key.
    private static boolean follows(PackedRows before, PackedRows rows, Version version, Plan plan) {
        int r = rows.rows() - 1;
        PackedRows prior = r > 0 ? rows : before;
        if (prior == null) {
            return true;
        }
        int p = r > 0 ? r - 1 : prior.rows() - 1;
        int order = compareKeys(prior, p, rows, r);
        if (order == 0) {
            throw duplicate(version, plan.key(), prior.line(p), rows, r);
        }
        return order < 0;
    }

    /// What is compared: the key, the columns both versions have, those only one has, and where
    /// each version holds the key's columns and then the compared ones.
    private record Plan(List<String> key, List<String> compared, List<String> added, List<String> removed,
                        int[] olderColumns, int[] newerColumns) {
        static Plan of(Utf8Rows older, Utf8Rows newer, List<String> key) {
            List<String> before = header(older, Version.OLD);
            List<String> after = header(newer, Version.NEW);
            List<String> compared = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (String column : before) {
                if (!key.contains(column)) {
                    (after.contains(column) ? compared : removed).add(column);
                }
            }
            List<String> added = after.stream().filter(c -> !before.contains(c) && !key.contains(c)).toList();
            return new Plan(List.copyOf(key), List.copyOf(compared), added, List.copyOf(removed),
                    columns(before, key, compared, Version.OLD), columns(after, key, compared, Version.NEW));
        }

        int[] columnsOf(Version version) {
            return version == Version.OLD ? olderColumns : newerColumns;
        }
    }

    /// Thrown, without a trace, when a version read as it is turns out not to be in key order.
    private static final class NotInOrder extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotInOrder() {
            super(null, null, false, false);
        }
    }

    /// A version expected in key order, read and packed on a thread of its own and handed over in
    /// batches: a key lower than the one before gives up ([NotInOrder]); the same key twice is
    /// refused. What the reading throws is thrown to the one taking the batches.
    private static final class Batches implements AutoCloseable {
        private static final int ROWS = 2048;
        private static final int BYTES = 1 << 18;
        private static final Object END = new Object();

        private final java.util.concurrent.BlockingQueue<Object> batches =
                new java.util.concurrent.ArrayBlockingQueue<>(16);
        private final Thread reader;
        private volatile boolean stopped;
        private boolean done;

        /// Hands `head` (rows already read, in order) first, then reads on.
        Batches(Utf8Rows in, Version version, Plan plan, PackedRows head, String name) {
            this.reader = Thread.ofPlatform().daemon(true).name(name).start(() -> {
                try {
                    PackedRows.Packer packer = new PackedRows.Packer(plan.columnsOf(version), plan.key().size());
                    hand(head);
                    PackedRows batch = new PackedRows(ROWS, BYTES + (1 << 12));
                    PackedRows last = head.rows() > 0 ? head : null;
                    while (!stopped && next(in, version)) {
                        packer.pack(in);
                        batch.add(packer.record(), packer.length());
                        if (!follows(last, batch, version, plan)) {
                            throw new NotInOrder();
                        }
                        if (batch.rows() == ROWS || batch.bytes() >= BYTES) {
                            hand(batch);
                            last = batch;
                            batch = new PackedRows(ROWS, BYTES + (1 << 12));
                        }
                    }
                    hand(batch);
                    hand(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException | RuntimeException | Error e) {
                    try {
                        hand(e);
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }

        private void hand(Object item) throws InterruptedException {
            while (!stopped && !batches.offer(item, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // the taker is slower: wait, unless it gave up
            }
        }

        /// The next batch, or null after the last.
        PackedRows take() throws IOException {
            while (!done) {
                Object item;
                try {
                    item = batches.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while comparing");
                }
                if (item == END) {
                    done = true;
                } else if (item instanceof Throwable t) {
                    done = true;
                    throw rethrow(t);
                } else if (((PackedRows) item).rows() > 0) {
                    return (PackedRows) item;
                }
            }
            return null;
        }

        @Override
        public void close() {
            stopped = true;
            reader.interrupt();
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /// Work that reads and may fail as reading does.
        @FunctionalInterface
        interface Reading {
            void run() throws IOException;
        }

        /// Runs `first` here and `second` on another thread; throws what either threw, the first's first.
        static void inParallel(Reading first, Reading second) throws IOException {
            Throwable[] failed = new Throwable[1];
            Thread other = Thread.ofPlatform().daemon(true).name("csvx-diff-new").start(() -> {
                try {
                    second.run();
                } catch (IOException | RuntimeException | Error e) {
                    failed[0] = e;
                }
            });
            try {
                first.run();
            } finally {
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while partitioning");
                }
            }
            if (failed[0] != null) {
                throw rethrow(failed[0]);
            }
        }

        private static IOException rethrow(Throwable t) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            return (IOException) t;
        }
    }

    /// Moves `in` to its next row, which must have as many fields as the header; false at the end.
    private static boolean next(Utf8Rows in, Version version) throws IOException {
        try {
            if (!in.next()) {
                return false;
            }
        } catch (CsvFormatException e) {
            throw new Unusable(version, e.line(), e.detail(), e);
        }
        if (in.fields() != in.header().size()) {
            CsvFormatException e = CsvFormatException.fieldCount(in.line(), in.fields(), in.header().size());
            throw new Unusable(version, e.line(), e.detail(), e);
        }
        return true;
    }

    private static Utf8Rows open(InputStream in, Version version, Options options) throws IOException {
        try {
            return Utf8Rows.open(in, options.input());
        } catch (CsvFormatException e) {
            throw new Unusable(version, e.line(), e.detail(), e);
        }
    }

    private static List<String> header(Utf8Rows in, Version version) {
        Set<String> seen = new HashSet<>();
        for (String column : in.header()) {
            if (!seen.add(column)) {
                throw new Unusable(version, 1, "the header names the column '" + column + "' twice", null);
            }
        }
        return in.header();
    }

    /// The positions, in `header`, of the key's columns and then the compared ones.
    private static int[] columns(List<String> header, List<String> key, List<String> compared, Version version) {
        int[] at = new int[key.size() + compared.size()];
        for (int i = 0; i < key.size(); i++) {
            at[i] = header.indexOf(key.get(i));
            if (at[i] < 0) {
                throw new Unusable(version, 1, "no key column '" + key.get(i) + "' (its columns: "
                        + String.join(", ", header) + ")", null);
            }
        }
        for (int i = 0; i < compared.size(); i++) {
            at[key.size() + i] = header.indexOf(compared.get(i));
        }
        return at;
    }

    /// Partitions `head`, then the rest of `in`.
    private static void feed(Utf8Rows in, Version version, Plan plan, PackedRows head, KeyPartitions.Side side)
            throws IOException {
        for (int r = 0; r < head.rows(); r++) {
            int from = head.recordFrom(r);
            side.add(head.data(), from, head.valuesTo(r) - from, head.keyHash(r));
        }
        PackedRows.Packer packer = new PackedRows.Packer(plan.columnsOf(version), plan.key().size());
        while (next(in, version)) {
            packer.pack(in);
            side.add(packer.record(), 0, packer.length(), packer.keyHash());
        }
    }

    /// A change as the diff sorts and counts it: each key value's [#sortForm], the key's values,
    /// the kind (`a`: only `is` has the row, `r`: only `was`, `c`), and for a changed row the old
    /// values then the new.
    static String[] changeRow(PackedRows was, int wasRow, PackedRows is, int isRow, int k, int compared) {
        boolean changed = was != null && is != null;
        String[] c = new String[2 * k + 1 + (changed ? 2 * compared : 0)];
        PackedRows named = is != null ? is : was;
        int row = is != null ? isRow : wasRow;
        PackedRows.decode(named.data(), named.keyFrom(row), named.keyTo(row), c, k);
        for (int i = 0; i < k; i++) {
            c[i] = sortForm(c[k + i]);
        }
        c[2 * k] = changed ? "c" : is != null ? "a" : "r";
        if (changed) {
            PackedRows.decode(was.data(), was.keyTo(wasRow), was.valuesTo(wasRow), c, 2 * k + 1);
            PackedRows.decode(is.data(), is.keyTo(isRow), is.valuesTo(isRow), c, 2 * k + 1 + compared);
        }
        return c;
    }

    /// Orders change rows as [#changeRow] makes them.
    static int compareKeys(String[] a, String[] b, int keyColumns) {
        for (int i = 0; i < keyColumns; i++) {
            int c = a[i].compareTo(b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /// Orders packed rows by key, as [#compareKeys] orders their change rows.
    static int compareKeys(PackedRows a, int ar, PackedRows b, int br) {
        byte[] x = a.data();
        byte[] y = b.data();
        int p = a.keyFrom(ar);
        int q = b.keyFrom(br);
        int pEnd = a.keyTo(ar);
        while (p < pEnd) {
            int m = PackedRows.varint(x, p);
            p += PackedRows.varintSize(m);
            int n = PackedRows.varint(y, q);
            q += PackedRows.varintSize(n);
            int c = compareKeyBytes(x, p, m, y, q, n);
            if (c != 0) {
                return c;
            }
            p += m;
            q += n;
        }
        return 0;
    }

    /// One key value against another as [#compareKey] orders them, from their UTF-8 bytes.
    private static int compareKeyBytes(byte[] x, int p, int m, byte[] y, int q, int n) {
        boolean xn = plainNumber(x, p, m);
        boolean yn = plainNumber(y, q, n);
        if (xn != yn) {
            return xn ? -1 : 1;
        }
        if (xn && m != n) {
            return Integer.compare(m, n);
        }
        int i = Arrays.mismatch(x, p, p + m, y, q, q + n);
        if (i < 0) {
            return 0;
        }
        if (i == m || i == n) {
            return Integer.compare(m, n);
        }
        int u = x[p + i] & 0xFF;
        int w = y[q + i] & 0xFF;
        if (u >= 0xEE && w >= 0xEE) {
            // UTF-8's order is the code points'; a String's (UTF-16) differs between U+E000-U+FFFF
            // and the characters beyond: settled as Strings, rarely
            return new String(x, p, m, StandardCharsets.UTF_8).compareTo(new String(y, q, n, StandardCharsets.UTF_8));
        }
        return Integer.compare(u, w);
    }

    private static boolean plainNumber(byte[] b, int from, int length) {
        if (length == 0 || length >= Character.MAX_VALUE || length > 1 && b[from] == '0') {
            return false;
        }
        for (int i = from; i < from + length; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /// Whole numbers written plainly (digits, no leading zero) first, by value; then any other
    /// text, as text. Equal only when the texts are.
    static int compareKey(String a, String b) {
        return sortForm(a).compareTo(sortForm(b));
    }

    /// A key value made so that comparing texts orders as [#compareKey] says: a plain number
    /// behind a mark and its length, anything else behind a later mark. Made once a row, not on
    /// every comparison of a sort.
    private static String sortForm(String value) {
        return plainNumber(value) && value.length() < Character.MAX_VALUE
                ? "\u0001" + (char) value.length() + value : "\u0002" + value;
    }

    private static boolean plainNumber(String s) {
        if (s.isEmpty() || s.length() > 1 && s.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /// The key of `row` is on `firstLine` too.
    private static Unusable duplicate(Version version, List<String> key, long firstLine, PackedRows rows, int row) {
        String[] values = new String[key.size()];
        PackedRows.decode(rows.data(), rows.keyFrom(row), rows.keyTo(row), values, 0);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            parts.add(key.get(i) + "=" + values[i]);
        }
        return new Unusable(version, rows.line(row), "the key " + String.join(", ", parts) + " is on line "
                + firstLine + " too: a key must name one row", null);
    }

    private static Summary merge(Batches older, Batches newer, Plan plan, Sink sink) throws IOException {
        Tally tally = new Tally(plan, sink);
        Walk w = new Walk(older.take(), newer.take());
        while (w.xs != null || w.ys != null) {
            w.walk();
            w.report(tally, plan.key().size(), plan.compared().size());
            if (w.xs != null && w.x == w.xs.rows()) {
                w.xs = older.take();
                w.x = 0;
            }
            if (w.ys != null && w.y == w.ys.rows()) {
                w.ys = newer.take();
                w.y = 0;
            }
        }
        tally.unchanged = w.unchanged;
        return tally.summary();
    }

    /// Two versions' batches walked side by side, in key order. The walk only notes each change
    /// (row numbers in the batches), reported once a batch ends: the JIT then compiles the walk
    /// without the changes' whole path inlined (twice over, 120 ms of C2 each time).
    private static final class Walk {
        PackedRows xs;
        PackedRows ys;
        int x;
        int y;
        long unchanged;
        /// Pairs: the older row and the newer row of a change, -1 for none.
        private int[] noted = new int[256];
        private int count;

        Walk(PackedRows xs, PackedRows ys) {
            this.xs = xs;
            this.ys = ys;
        }

        /// Walks until a batch ends.
        void walk() {
            while (xs != null || ys != null) {
                int order = xs == null ? 1 : ys == null ? -1 : compareKeys(xs, x, ys, y);
                if (order < 0) {
                    note(x, -1);
                } else if (order > 0) {
                    note(-1, y);
                } else if (xs.sameValues(x, ys, y)) {
                    unchanged++;
                } else {
                    note(x, y);
                }
                boolean ended = order <= 0 && ++x == xs.rows();
                ended |= order >= 0 && ++y == ys.rows();
                if (ended) {
                    return;
                }
            }
        }

        private void note(int older, int newer) {
            if (count == noted.length) {
                noted = Arrays.copyOf(noted, 2 * count);
            }
            noted[count++] = older;
            noted[count++] = newer;
        }

        /// Passes the noted changes on, in their order.
        void report(Tally tally, int k, int compared) throws IOException {
            for (int i = 0; i < count; i += 2) {
                int a = noted[i];
                int b = noted[i + 1];
                tally.add(changeRow(a < 0 ? null : xs, a, b < 0 ? null : ys, b, k, compared));
            }
            count = 0;
        }
    }

    /// Counts changes in key order, writes each to the sink and keeps the first ones.
    private static final class Tally {
        private final Plan plan;
        private final Sink sink;
        private final long[] byColumn;
        private final List<Change> first = new ArrayList<>();
        private long added;
        private long removed;
        private long changed;
        long unchanged;

        Tally(Plan plan, Sink sink) {
            this.plan = plan;
            this.sink = sink;
            this.byColumn = new long[plan.compared().size()];
        }

        /// A change row as [#changeRow] makes it.
        void add(String[] row) throws IOException {
            int k = plan.key().size();
            int c = plan.compared().size();
            Change change = switch (row[2 * k]) {
                case "a" -> {
                    added++;
                    yield new Change(keyOf(row, k), Kind.ADDED, List.of());
                }
                case "r" -> {
                    removed++;
                    yield new Change(keyOf(row, k), Kind.REMOVED, List.of());
                }
                default -> {
                    changed++;
                    List<Cell> cells = new ArrayList<>();
                    for (int i = 0; i < c; i++) {
                        String was = row[2 * k + 1 + i];
                        String is = row[2 * k + 1 + c + i];
                        if (!was.equals(is)) {
                            cells.add(new Cell(plan.compared().get(i), was, is));
                            byColumn[i]++;
                        }
                    }
                    yield new Change(keyOf(row, k), Kind.CHANGED, List.copyOf(cells));
                }
            };
            sink.change(change);
            if (first.size() < FIRST) {
                first.add(change);
            }
        }

        Summary summary() {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (int i = 0; i < byColumn.length; i++) {
                counts.put(plan.compared().get(i), byColumn[i]);
            }
            return new Summary(plan.key(), added, removed, changed, unchanged, counts, plan.added(), plan.removed(),
                    List.copyOf(first));
        }
    }

    private static List<String> keyOf(String[] row, int k) {
        return List.of(Arrays.copyOfRange(row, k, 2 * k));
    }

    /// A sink writing the diff file in `format` to `out` (closed with the sink).
    public static Sink writer(Format format, OutputStream out, List<String> key) throws IOException {
        return format == Format.CSV ? new CsvChanges(out, key) : new NdjsonChanges(out, key);
    }

    private static final class CsvChanges implements Sink {
        private final de.siegmar.fastcsv.writer.CsvWriter csv;
        private final String[] line;
        private final int k;
        private boolean closed;

        CsvChanges(OutputStream out, List<String> key) {
            this.csv = de.siegmar.fastcsv.writer.CsvWriter.builder()
                    .build(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            this.k = key.size();
            this.line = new String[k + 4];
            List<String> header = new ArrayList<>(key);
            header.addAll(List.of("change", "column", "old", "new"));
            csv.writeRecord(header);
        }

        @Override
        public void change(Change c) {
            for (int i = 0; i < k; i++) {
                line[i] = c.key().get(i);
            }
            line[k] = c.kind().wire();
            if (c.cells().isEmpty()) {
                line[k + 1] = "";
                line[k + 2] = "";
                line[k + 3] = "";
                csv.writeRecord(line);
                return;
            }
            for (Cell cell : c.cells()) {
                line[k + 1] = cell.column();
                line[k + 2] = cell.before();
                line[k + 3] = cell.after();
                csv.writeRecord(line);
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                csv.close();
            }
        }
    }

    private static final class NdjsonChanges implements Sink {
        private final Utf8JsonOut json;
        private final OutputStream out;
        private final List<String> key;
        private boolean closed;

        NdjsonChanges(OutputStream out, List<String> key) {
            this.out = out;
            this.json = new Utf8JsonOut(out);
            this.key = key;
        }

        @Override
        public void change(Change c) throws IOException {
            writeChange(json, key, c);
            json.write((byte) '\n');
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                json.flush();
                out.close();
            }
        }
    }

    private static void writeChange(Utf8JsonOut json, List<String> key, Change c) throws IOException {
        json.ascii("{\"key\":{");
        for (int i = 0; i < key.size(); i++) {
            if (i > 0) {
                json.write((byte) ',');
            }
            json.string(key.get(i));
            json.write((byte) ':');
            json.string(c.key().get(i));
        }
        json.ascii("},\"change\":\"" + c.kind().wire() + "\"");
        if (!c.cells().isEmpty()) {
            json.ascii(",\"columns\":{");
            for (int i = 0; i < c.cells().size(); i++) {
                Cell cell = c.cells().get(i);
                if (i > 0) {
                    json.write((byte) ',');
                }
                json.string(cell.column());
                json.ascii(":{\"old\":");
                json.string(cell.before());
                json.ascii(",\"new\":");
                json.string(cell.after());
                json.write((byte) '}');
            }
            json.write((byte) '}');
        }
        json.write((byte) '}');
    }

    /// The summary as one JSON object: the key, the counts, each compared column's changed rows,
    /// the columns added and removed, the first changes (each as a line of the NDJSON file) and
    /// the [Summary#sentence].
    public static String toJson(Summary s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Utf8JsonOut json = new Utf8JsonOut(bytes);
        json.ascii("{\"key\":");
        strings(json, s.key());
        json.ascii(",\"added\":" + s.added() + ",\"removed\":" + s.removed() + ",\"changed\":" + s.changed()
                + ",\"unchanged\":" + s.unchanged() + ",\"changedByColumn\":{");
        int i = 0;
        for (Map.Entry<String, Long> e : s.changedByColumn().entrySet()) {
            if (i++ > 0) {
                json.write((byte) ',');
            }
            json.string(e.getKey());
            json.ascii(":" + e.getValue());
        }
        json.ascii("},\"columnsAdded\":");
        strings(json, s.columnsAdded());
        json.ascii(",\"columnsRemoved\":");
        strings(json, s.columnsRemoved());
        json.ascii(",\"first\":[");
        for (int c = 0; c < s.first().size(); c++) {
            if (c > 0) {
                json.write((byte) ',');
            }
            writeChange(json, s.key(), s.first().get(c));
        }
        json.ascii("],\"sentence\":");
        json.string(s.sentence());
        json.write((byte) '}');
        json.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void strings(Utf8JsonOut json, List<String> values) throws IOException {
        json.write((byte) '[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.write((byte) ',');
            }
            json.string(values.get(i));
        }
        json.write((byte) ']');
    }
}
