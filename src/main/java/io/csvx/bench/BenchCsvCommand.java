package io.csvx.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.csvx.csv.Converter;
import io.csvx.csv.CsvInput;
import io.csvx.pipeline.Format;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx bench-csv`: CSV to NDJSON speed and memory beside FastCSV's plain read of the same file.
@Command(name = "bench-csv", mixinStandardHelpOptions = true,
        description = "Benchmark CSV conversion: a generated file to NDJSON, beside FastCSV's plain read.")
final class BenchCsvCommand implements Callable<Integer> {
    @Option(names = "--size-mb", defaultValue = "200", description = "Size of the generated CSV. Default: ${DEFAULT-VALUE}")
    int sizeMb;

    @Option(names = "--dir", description = "Where to put the files. Default: a temporary directory.")
    Path dir;

    @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of the end-to-end `csvx convert` run. Default: ${DEFAULT-VALUE}")
    String heap;

    @Option(names = "--read-only", hidden = true, description = "Only read FILE with FastCSV (the fresh-JVM baseline).")
    Path readOnly;

    @Override
    public Integer call() throws Exception {
        if (readOnly != null) {
            System.out.println(fastCsvRead(readOnly));
            return 0;
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("csvx-bench-csv");
        Path csv = work.resolve("orders-" + sizeMb + "mb.csv");
        if (!Files.exists(csv) || Files.size(csv) < sizeMb * 1_000_000L) {
            generate(csv, sizeMb * 1_000_000L);
        }
        double mb = Files.size(csv) / 1e6;
        Path out = work.resolve("orders.ndjson");
        System.out.printf("CSV benchmark: %.0f MB, %d cores, Java %s, files in %s%n", mb,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), work);

        // alternating rounds; the machine is shared, so each side reports its best of four
        long rows = 0;
        double fast = Double.MAX_VALUE;
        double ours = Double.MAX_VALUE;
        long peak = 0;
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            rows = fastCsvRead(csv);
            fast = Math.min(fast, (System.nanoTime() - t0) / 1e9);
            resetPeaks();
            Files.deleteIfExists(out);
            t0 = System.nanoTime();
            try (InputStream in = Files.newInputStream(csv);
                 OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                Converter.convert(in, CsvInput.Options.detect(), o, Format.NDJSON, false);
            }
            ours = Math.min(ours, (System.nanoTime() - t0) / 1e9);
            peak = Math.max(peak, peakHeap());
        }
        System.out.printf("FastCSV plain read:           %6.2f s  %7.1f MB/s  %,12.0f rows/s%n", fast, mb / fast, rows / fast);
        System.out.printf("convert to NDJSON, in process: %6.2f s  %7.1f MB/s  %,12.0f rows/s  peak heap %d MB  (%.0f%% of FastCSV)%n",
                ours, mb / ours, rows / ours, peak >> 20, 100 * fast / ours);

        List<String> jvm = Measures.launcherJvm(heap);
        if (jvm != null) {
            // Fresh JVMs, JIT cold, heap capped, as the launcher starts them (with its AOT cache when
            // there is one): `./csvx convert` as a user runs it, and beside it FastCSV's plain read
            // started the same way, for a like-for-like ratio. Alternating, best of three each.
            boolean cached = Measures.cached(jvm);
            double e2e = Double.MAX_VALUE;
            double piped = Double.MAX_VALUE;
            double plain = Double.MAX_VALUE;
            for (int run = 0; run < 3; run++) {
                Files.deleteIfExists(out); // replacing a large file costs the kernel more than writing a new one
                e2e = Math.min(e2e, Measures.fresh(jvm, List.of("convert", "--to", "ndjson", csv.toString(), "-o", out.toString())));
                piped = Math.min(piped, Measures.fresh(jvm, List.of("convert", "--to", "ndjson", csv.toString())));
                plain = Math.min(plain, Measures.fresh(jvm, List.of("bench-csv", "--read-only", csv.toString())));
            }
            System.out.printf("FastCSV plain read, fresh JVM: %6.2f s  %7.1f MB/s  %,12.0f rows/s%n", plain, mb / plain,
                    rows / plain);
            String ratio = "  (%.0f%% of FastCSV in process, %.0f%% of FastCSV in a fresh JVM)%n";
            System.out.printf("./csvx convert -o FILE:       %6.2f s  %7.1f MB/s  %,12.0f rows/s" + ratio, e2e, mb / e2e,
                    rows / e2e, 100 * fast / e2e, 100 * plain / e2e);
            System.out.printf("./csvx convert > /dev/null:   %6.2f s  %7.1f MB/s  %,12.0f rows/s" + ratio, piped, mb / piped,
                    rows / piped, 100 * fast / piped, 100 * plain / piped);
            System.out.printf("(fresh JVMs with -Xmx%s%s)%n", heap, cached ? " and the launcher's AOT cache"
                    : "; no AOT cache: run ./csvx once to record it");
            Path mlr = Path.of("/usr/bin/mlr");
            if (Files.isExecutable(mlr)) {
                // Miller 6 writing JSON lines, the same file to a file: issue 15's yardstick
                double miller = Double.MAX_VALUE;
                for (int run = 0; run < 2; run++) {
                    Files.deleteIfExists(out);
                    long t0 = System.nanoTime();
                    Process p = new ProcessBuilder(mlr.toString(), "--icsv", "--ojsonl", "cat", csv.toString())
                            .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException("mlr failed");
                    }
                    miller = Math.min(miller, (System.nanoTime() - t0) / 1e9);
                }
                System.out.printf("Miller (mlr --icsv --ojsonl cat > FILE): %6.2f s  %7.1f MB/s%n", miller, mb / miller);
                System.out.printf("  targets: ./csvx convert -o FILE at least 5x Miller's speed (%.1fx): %s;"
                        + " at least 0.8x FastCSV's plain read in a fresh JVM (%.2fx): %s%n", miller / e2e,
                        miller / e2e >= 5 ? "met" : "NOT MET", plain / e2e, plain / e2e >= 0.8 ? "met" : "NOT MET");
            } else {
                System.out.println("Miller: not installed (apt-get install miller) for the comparison");
            }
        }
        Files.deleteIfExists(out);
        return 0;
    }

    private static long fastCsvRead(Path csv) throws IOException {
        long rows = 0;
        long chars = 0;
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv)) {
            for (CsvRecord r : reader) {
                rows++;
                chars += r.getField(0).length();
            }
        }
        if (chars < 0) {
            throw new IllegalStateException();
        }
        return rows - 1; // the header
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    /// Orders with quoted fields, embedded commas and quotes: a plausible export, about `bytes` long.
    static void generate(Path csv, long bytes) throws IOException {
        Random random = new Random(42);
        List<String> cities = List.of("Oslo", "\"Paris, FR\"", "Zürich", "São Paulo", "\"Austin, TX\"", "Kyoto");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("order_id,customer,email,city,amount,currency,created_at,note\n");
            long written = 0;
            for (long i = 1; written < bytes; i++) {
                String line = i + ",Customer " + (i % 9973) + ",customer" + (i % 9973) + "@example.com,"
                        + cities.get(random.nextInt(cities.size())) + "," + (random.nextInt(100_000) / 100.0) + ",EUR,"
                        + "2026-11-" + (10 + random.nextInt(18)) + "T12:" + (10 + random.nextInt(50)) + ":00Z,"
                        + (i % 7 == 0 ? "\"said \"\"rush\"\", call first\"" : "standard") + "\n";
                w.write(line);
                written += line.length();
            }
        }
    }
}
