package io.csvx.bench;

import io.csvx.csv.Converter;
import io.csvx.csv.CsvDiff;
import io.csvx.csv.CsvInput;
import io.csvx.pipeline.Format;
import io.csvx.pipeline.Pipeline;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/// `csvx aot-train` (hidden): the workload the launcher runs once after each build under
/// `-XX:AOTCacheOutput`, so that later runs start with CSV-X's classes loaded and linked and
/// with method profiles, and reach full speed sooner. Converts a generated file as users do, and
/// compares two versions of one in key order and shuffled.
@Command(name = "aot-train", hidden = true, description = "Training run for the JVM's ahead-of-time cache.")
final class AotTrainCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("csvx-aot-train");
        try {
            Path csv = dir.resolve("orders.csv");
            BenchCsvCommand.generate(csv, 30_000_000L);
            Pipeline cleaning = Pipeline.parse("""
                    {"steps": [{"trim": []}, {"filter": "amount > 10 and not (note is empty)"},
                               {"normalize": {"email": "lower"}},
                               {"validate": {"email": {"type": "email"}, "amount": {"type": "decimal", "min": 0}}}]}""");
            // plain conversions and the pipeline path, so both are in the cache's profiles
            record Run(Format format, Pipeline pipeline) {
            }
            for (Run run : List.of(new Run(Format.NDJSON, null), new Run(Format.NDJSON, cleaning),
                    new Run(Format.JSON, null), new Run(Format.CSV, cleaning))) {
                try (InputStream in = Files.newInputStream(csv);
                     OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("out")), 1 << 16)) {
                    Converter.convert(in, CsvInput.Options.detect(), out, run.format(), false, run.pipeline(),
                            OutputStream.nullOutputStream());
                }
            }
            Path older = dir.resolve("v1.csv");
            Path newer = dir.resolve("v2.csv");
            BenchDiffCommand.generate(older, newer, 200_000);
            for (int run = 0; run < 2; run++) {
                Path a = run == 0 ? older : BenchDiffCommand.shuffled(older, dir.resolve("v1-shuffled.csv"));
                Path b = run == 0 ? newer : BenchDiffCommand.shuffled(newer, dir.resolve("v2-shuffled.csv"));
                CsvDiff.diff(() -> Files.newInputStream(a), () -> Files.newInputStream(b), List.of("order_id"),
                        new CsvDiff.Options(CsvInput.Options.detect(), CsvDiff.ROWS_IN_MEMORY, dir),
                        () -> CsvDiff.writer(CsvDiff.Format.CSV, Files.newOutputStream(dir.resolve("diff")),
                                List.of("order_id")));
            }
            return 0;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
