package io.csvx.bench;

import io.csvx.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/// `csvx aot-train` (hidden): the workload the launcher runs once after each build under
/// `-XX:AOTCacheOutput`, so that later runs start with CSV-X's classes loaded and linked and
/// with method profiles, and reach full speed sooner. Runs `csvx convert` (plain and with a
/// pipeline) and `csvx diff` (versions in key order and shuffled) through the command line, as
/// users do, so that what those commands load and run is in the cache.
@Command(name = "aot-train", hidden = true, description = "Training run for the JVM's ahead-of-time cache.")
final class AotTrainCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("csvx-aot-train");
        try {
            Path csv = dir.resolve("orders.csv");
            BenchCsvCommand.generate(csv, 30_000_000L);
            Path cleaning = dir.resolve("cleaning.json");
            Files.writeString(cleaning, """
                    {"steps": [{"trim": []}, {"filter": "amount > 10 and not (note is empty)"},
                               {"normalize": {"email": "lower"}},
                               {"validate": {"email": {"type": "email"}, "amount": {"type": "decimal", "min": 0}}}]}""");
            Path out = dir.resolve("out");
            // plain conversions and the pipeline path, through the command line as users run them
            List<List<String>> runs = new ArrayList<>(List.of(
                    List.of("convert", "--to", "ndjson", csv.toString(), "-o", out.toString()),
                    List.of("convert", "--to", "ndjson", "--pipeline", cleaning.toString(), csv.toString(), "-o",
                            out.toString()),
                    List.of("convert", "--to", "json", csv.toString(), "-o", out.toString()),
                    List.of("convert", "--to", "csv", "--pipeline", cleaning.toString(), csv.toString(), "-o",
                            out.toString())));
            Path older = dir.resolve("v1.csv");
            Path newer = dir.resolve("v2.csv");
            BenchDiffCommand.generate(older, newer, 200_000);
            Path olderShuffled = BenchDiffCommand.shuffled(older, dir.resolve("v1-shuffled.csv"));
            Path newerShuffled = BenchDiffCommand.shuffled(newer, dir.resolve("v2-shuffled.csv"));
            runs.add(List.of("diff", older.toString(), newer.toString(), "--key", "order_id", "-o", out.toString()));
            runs.add(List.of("diff", olderShuffled.toString(), newerShuffled.toString(), "--key", "order_id", "-o",
                    out.toString()));
            for (List<String> run : runs) {
                int exit = Cli.run(run.toArray(String[]::new));
                if (exit != 0) {
                    System.err.println("csvx aot-train: " + String.join(" ", run) + " exited with " + exit);
                    return exit;
                }
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
