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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/// Two versions of a CSV compared by key, streaming in bounded memory: each version is sorted by
/// its key (beyond `rowsInMemory` rows, in sorted runs on disk merged as read), then both are
/// walked side by side. Rows match when their key's text is the same; the columns compared are
/// those both versions have, matched by name whatever their order; a column only one version
/// has is reported, not compared. A key that is missing, or that two rows of one version share,
/// makes the versions [Unusable] rather than a guess.
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

    /// The diff file's formats: CSV (`key…,change,column,old,new`, a line per changed column)
    /// or NDJSON (a line per changed row).
    public enum Format {
        CSV, NDJSON;

        public static Format parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the diff's format is csv or ndjson, not '" + name + "'");
            }
        }
    }

    /// How the versions are read, how many rows of each are sorted in memory, and where runs
    /// beyond that go.
    public record Options(CsvInput.Options input, int rowsInMemory, Path tempDir) {
        public static Options defaults(Path tempDir) {
            return new Options(CsvInput.Options.detect(), 100_000, tempDir);
        }
    }

    private CsvDiff() {
    }

    /// Compares `older` with `newer` by the columns `key`, writing each change to `sink`.
    public static Summary diff(InputStream older, InputStream newer, List<String> key, Options options, Sink sink)
            throws IOException {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("name the key: the columns that identify a row");
        }
        try (CsvInput a = open(older, Version.OLD, options); CsvInput b = open(newer, Version.NEW, options)) {
            List<String> before = header(a, Version.OLD);
            List<String> after = header(b, Version.NEW);
            List<String> compared = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (String column : before) {
                if (!key.contains(column)) {
                    (after.contains(column) ? compared : removed).add(column);
                }
            }
            List<String> added = after.stream().filter(c -> !before.contains(c) && !key.contains(c)).toList();
            Comparator<String[]> byKey = (x, y) -> compareKeys(x, y, key.size());
            try (ExternalSorter olderSorted = new ExternalSorter(byKey, options.rowsInMemory(), options.tempDir());
                 ExternalSorter newerSorted = new ExternalSorter(byKey, options.rowsInMemory(), options.tempDir())) {
                feed(a, Version.OLD, columns(before, key, compared, Version.OLD), olderSorted);
                feed(b, Version.NEW, columns(after, key, compared, Version.NEW), newerSorted);
                return merge(new Unique(olderSorted.sorted(), Version.OLD, key),
                        new Unique(newerSorted.sorted(), Version.NEW, key), key, compared, added, removed, sink);
            }
        }
    }

    private static CsvInput open(InputStream in, Version version, Options options) throws IOException {
        try {
            return CsvInput.open(in, options.input());
        } catch (CsvFormatException e) {
            throw new Unusable(version, e.line(), e.detail(), e);
        }
    }

    private static List<String> header(CsvInput in, Version version) {
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

    private static void feed(CsvInput in, Version version, int[] at, ExternalSorter sorter) throws IOException {
        try {
            for (CsvInput.Row r = in.next(); r != null; r = in.next()) {
                String[] row = new String[at.length];
                for (int i = 0; i < at.length; i++) {
                    row[i] = r.fields().get(at[i]);
                }
                sorter.add(r.line(), row);
            }
        } catch (CsvFormatException e) {
            throw new Unusable(version, e.line(), e.detail(), e);
        }
    }

    static int compareKeys(String[] a, String[] b, int keyColumns) {
        for (int i = 0; i < keyColumns; i++) {
            int c = a[i].compareTo(b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /// A version's rows in key order, refusing a key seen twice.
    private static final class Unique {
        private final ExternalSorter.Cursor rows;
        private final Version version;
        private final List<String> key;
        private ExternalSorter.Line last;

        Unique(ExternalSorter.Cursor rows, Version version, List<String> key) {
            this.rows = rows;
            this.version = version;
            this.key = key;
        }

        ExternalSorter.Line next() throws IOException {
            ExternalSorter.Line line = rows.next();
            if (line != null && last != null && compareKeys(last.row(), line.row(), key.size()) == 0) {
                throw new Unusable(version, line.line(), "the key " + describe(key, line.row()) + " is on line "
                        + last.line() + " too: a key must name one row", null);
            }
            last = line;
            return line;
        }
    }

    private static String describe(List<String> key, String[] row) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            parts.add(key.get(i) + "=" + row[i]);
        }
        return String.join(", ", parts);
    }

    private static Summary merge(Unique older, Unique newer, List<String> key, List<String> compared,
                                 List<String> added, List<String> removed, Sink sink) throws IOException {
        int k = key.size();
        long[] byColumn = new long[compared.size()];
        long nAdded = 0;
        long nRemoved = 0;
        long nChanged = 0;
        long nUnchanged = 0;
        List<Change> first = new ArrayList<>();
        ExternalSorter.Line x = older.next();
        ExternalSorter.Line y = newer.next();
        while (x != null || y != null) {
            int order = x == null ? 1 : y == null ? -1 : compareKeys(x.row(), y.row(), k);
            Change change = null;
            if (order < 0) {
                change = new Change(keyOf(x.row(), k), Kind.REMOVED, List.of());
                nRemoved++;
                x = older.next();
            } else if (order > 0) {
                change = new Change(keyOf(y.row(), k), Kind.ADDED, List.of());
                nAdded++;
                y = newer.next();
            } else {
                List<Cell> cells = new ArrayList<>();
                for (int i = 0; i < compared.size(); i++) {
                    String was = x.row()[k + i];
                    String is = y.row()[k + i];
                    if (!was.equals(is)) {
                        cells.add(new Cell(compared.get(i), was, is));
                        byColumn[i]++;
                    }
                }
                if (cells.isEmpty()) {
                    nUnchanged++;
                } else {
                    change = new Change(keyOf(x.row(), k), Kind.CHANGED, List.copyOf(cells));
                    nChanged++;
                }
                x = older.next();
                y = newer.next();
            }
            if (change != null) {
                sink.change(change);
                if (first.size() < FIRST) {
                    first.add(change);
                }
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < compared.size(); i++) {
            counts.put(compared.get(i), byColumn[i]);
        }
        return new Summary(List.copyOf(key), nAdded, nRemoved, nChanged, nUnchanged, counts, List.copyOf(added),
                List.copyOf(removed), List.copyOf(first));
    }

    private static List<String> keyOf(String[] row, int k) {
        return List.of(Arrays.copyOf(row, k));
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
    /// the columns added and removed, and the first changes (each as a line of the NDJSON file).
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
        json.ascii("]}");
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
