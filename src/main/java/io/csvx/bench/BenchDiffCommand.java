package io.csvx.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx bench-diff`: `csvx diff` of two versions of a generated file, in key order and shuffled,
/// beside `csvx convert` of one version and DuckDB's full outer join of the same two.
@Command(name = "bench-diff", mixinStandardHelpOptions = true,
        description = "Benchmark csvx diff: two versions of a generated file, in key order and shuffled, beside"
                + " convert of one version and DuckDB's full outer join (when its JDBC driver is at hand).")
final class BenchDiffCommand implements Callable<Integer> {
    private static final String COLUMNS = "customer,email,city,amount,currency,created_at,note";

    @Option(names = "--rows", defaultValue = "2000000", description = "Rows of each version. Default: ${DEFAULT-VALUE}")
    int rows;

    @Option(names = "--dir", description = "Where to put the files. Default: a temporary directory.")
    Path dir;

    @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of the csvx runs. Default: ${DEFAULT-VALUE}")
    String heap;

    @Option(names = "--runs", defaultValue = "2", description = "Runs of each, the best reported. Default: ${DEFAULT-VALUE}")
    int runs;

    @Option(names = "--duckdb-jar", description = "DuckDB's JDBC driver. Default: the newest in the local Maven repository"
            + " (mvn dependency:get -Dartifact=org.duckdb:duckdb_jdbc:1.4.4.0 puts one there).")
    Path duckdbJar;

    @Override
    public Integer call() throws Exception {
        List<String> jvm = Measures.launcherJvm(heap);
        if (jvm == null) {
            System.err.println("csvx bench-diff: no target/csvx.jar; run it through ./csvx");
            return 2;
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("csvx-bench-diff");
        Path older = work.resolve("orders-v1.csv");
        Path newer = work.resolve("orders-v2.csv");
        generate(older, newer, rows);
        Path olderShuffled = shuffled(older, work.resolve("orders-v1-shuffled.csv"));
        Path newerShuffled = shuffled(newer, work.resolve("orders-v2-shuffled.csv"));
        // on disk before any timing, so the kernel is not writing them back during the runs (an
        // 8,000,000-row shuffled diff took 7.7 s in a run right after generating its files, 4.5
        // to 5.5 s alone)
        for (Path f : List.of(older, newer, olderShuffled, newerShuffled)) {
            try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                c.force(true);
            }
        }
        System.out.printf("Diff benchmark: %,d rows, %.0f MB a version (1%% changed, 0.5%% removed, 0.5%% added),"
                + " %d cores, Java %s, fresh JVMs with -Xmx%s%s, files in %s%n", rows, Files.size(older) / 1e6,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), heap,
                Measures.cached(jvm) ? " and the launcher's AOT cache" : "", work);

        Path converted = work.resolve("orders-v1.ndjson");
        Path inOrder = work.resolve("diff-in-order.csv");
        Path fromShuffled = work.resolve("diff-shuffled.csv");
        double convert = Double.MAX_VALUE;
        double diff = Double.MAX_VALUE;
        double diffShuffled = Double.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            // each output written afresh, as DuckDB's is: ext4 writes a file renamed over another
            // out to disk at the rename, which would time the disk, not the work
            Files.deleteIfExists(converted);
            Files.deleteIfExists(inOrder);
            Files.deleteIfExists(fromShuffled);
            convert = Math.min(convert, Measures.fresh(jvm, List.of("convert", "--to", "ndjson", older.toString(), "-o",
                    converted.toString())));
            diff = Math.min(diff, Measures.fresh(jvm, List.of("diff", older.toString(), newer.toString(), "--key",
                    "order_id", "-o", inOrder.toString())));
            diffShuffled = Math.min(diffShuffled, Measures.fresh(jvm, List.of("diff", olderShuffled.toString(),
                    newerShuffled.toString(), "--key", "order_id", "-o", fromShuffled.toString())));
        }
        boolean same = Files.mismatch(inOrder, fromShuffled) == -1;
        long lines;
        try (Stream<String> l = Files.lines(inOrder)) {
            lines = l.count() - 1;
        }
        System.out.printf("convert one version to NDJSON:  %6.2f s%n", convert);
        System.out.printf("diff, versions in key order:    %6.2f s  %.2fx convert%n", diff, diff / convert);
        System.out.printf("diff, versions shuffled:        %6.2f s  %.2fx convert%n", diffShuffled, diffShuffled / convert);
        System.out.printf("  %,d lines of changes; in order and shuffled %s%n", lines, same ? "the same" : "DIFFERENT");

        Path jar = duckdbJar != null ? duckdbJar : newestDuckDb();
        if (jar == null || !Files.exists(jar)) {
            System.out.println("DuckDB: no JDBC driver found (give --duckdb-jar, or: mvn dependency:get"
                    + " -Dartifact=org.duckdb:duckdb_jdbc:1.4.4.0)");
            System.out.printf("  target: diff at most 2x convert: %s%n", verdict(Math.max(diff, diffShuffled) <= 2 * convert));
            return 0;
        }
        double duck = Double.MAX_VALUE;
        double duckShuffled = Double.MAX_VALUE;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                BenchDiffCommand.class.getClassLoader())) {
            Driver driver = (Driver) loader.loadClass("org.duckdb.DuckDBDriver").getDeclaredConstructor().newInstance();
            for (int run = 0; run < runs; run++) {
                duck = Math.min(duck, duckDb(driver, older, newer, work.resolve("duckdb-diff.csv")));
                duckShuffled = Math.min(duckShuffled, duckDb(driver, olderShuffled, newerShuffled,
                        work.resolve("duckdb-diff.csv")));
            }
        }
        System.out.printf("DuckDB %s full outer join, in this JVM: %6.2f s in key order, %6.2f s shuffled%n",
                jar.getParent().getFileName(), duck, duckShuffled);
        System.out.printf("  target: diff at most 2x convert: %s; faster than DuckDB: %s%n",
                verdict(Math.max(diff, diffShuffled) <= 2 * convert),
                verdict(diff < duck && diffShuffled < duckShuffled));
        return 0;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }

    /// The two versions: orders shaped like `bench-csv`'s; in the second, every 100th row's amount
    /// changed, every 200th removed, and 0.5% more rows added at the end.
    static void generate(Path older, Path newer, int rows) throws IOException {
        Random random = new Random(42);
        List<String> cities = List.of("Oslo", "\"Paris, FR\"", "Zürich", "São Paulo", "\"Austin, TX\"", "Kyoto");
        try (BufferedWriter a = Files.newBufferedWriter(older, StandardCharsets.UTF_8);
             BufferedWriter b = Files.newBufferedWriter(newer, StandardCharsets.UTF_8)) {
            String header = "order_id," + COLUMNS + "\n";
            a.write(header);
            b.write(header);
            for (long i = 1; i <= rows + rows / 200; i++) {
                int cents = random.nextInt(100_000);
                String head = i + ",Customer " + (i % 9973) + ",customer" + (i % 9973) + "@example.com,"
                        + cities.get(random.nextInt(cities.size())) + ",";
                String tail = ",EUR,2026-11-" + (10 + random.nextInt(18)) + "T12:" + (10 + random.nextInt(50)) + ":00Z,"
                        + (i % 7 == 0 ? "\"said \"\"rush\"\", call first\"" : "standard") + "\n";
                if (i <= rows) {
                    a.write(head + cents / 100.0 + tail);
                    if (i % 200 == 0) {
                        continue;
                    }
                }
                b.write(head + (i % 100 == 1 ? cents + 100 : cents) / 100.0 + tail);
            }
        }
    }

    /// The same rows in an order of their own (no field here holds a line break).
    static Path shuffled(Path csv, Path out) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(csv, StandardCharsets.UTF_8));
        String header = lines.removeFirst();
        Collections.shuffle(lines, new Random(7));
        lines.addFirst(header);
        Files.write(out, lines, StandardCharsets.UTF_8);
        return out;
    }

    /// DuckDB's answer to the same question: the keys added, removed or changed (any column
    /// differing), written as CSV; seconds taken, in this JVM.
    private static double duckDb(Driver driver, Path older, Path newer, Path out) throws Exception {
        Files.deleteIfExists(out);
        StringBuilder changed = new StringBuilder();
        for (String column : COLUMNS.split(",")) {
            changed.append(changed.isEmpty() ? "" : " OR ").append("o.").append(column).append(" IS DISTINCT FROM n.")
                    .append(column);
        }
        String sql = "COPY (SELECT coalesce(o.order_id, n.order_id) AS order_id, CASE WHEN o.order_id IS NULL THEN"
                + " 'added' WHEN n.order_id IS NULL THEN 'removed' ELSE 'changed' END AS change"
                + " FROM read_csv('" + older + "', all_varchar = true) o FULL OUTER JOIN read_csv('" + newer
                + "', all_varchar = true) n ON o.order_id = n.order_id"
                + " WHERE o.order_id IS NULL OR n.order_id IS NULL OR " + changed + ") TO '" + out + "' (HEADER)";
        long t0 = System.nanoTime();
        try (Connection c = driver.connect("jdbc:duckdb:", new Properties()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /// The newest DuckDB JDBC driver in the local Maven repository, or null.
    private static Path newestDuckDb() throws IOException {
        Path versions = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "duckdb", "duckdb_jdbc");
        if (!Files.isDirectory(versions)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(versions)) {
            return dirs.map(d -> d.resolve("duckdb_jdbc-" + d.getFileName() + ".jar")).filter(Files::exists)
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString())).orElse(null);
        }
    }
}
