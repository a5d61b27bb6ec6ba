package io.csvx.bench;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/// `csvx bench`, `csvx bench-csv`, `csvx bench-diff`, `csvx bench-pages`, `csvx bench-isolation`
/// (with its hidden `bench-receiver`) and the launcher's hidden `csvx aot-train`: commands that
/// measure CSV-X or train its startup cache, kept apart from the product's command line.
@Command(name = "csvx", mixinStandardHelpOptions = true, version = "CSV-X 0.1.0",
        scope = CommandLine.ScopeType.INHERIT, usageHelpWidth = 120,
        subcommands = {BenchCommand.class, BenchCsvCommand.class, BenchDiffCommand.class, BenchPagesCommand.class,
            BenchIsolationCommand.class, BenchReceiverCommand.class, AotTrainCommand.class})
public final class Bench {
    private static final Set<String> NAMES = Set.of("bench", "bench-csv", "bench-diff", "bench-pages", "bench-isolation",
            "bench-receiver", "aot-train");

    private Bench() {
    }

    /// True when `args` names one of these commands.
    public static boolean handles(String[] args) {
        return args.length > 0 && NAMES.contains(args[0]);
    }

    public static int run(String[] args) {
        return new CommandLine(new Bench()).execute(args);
    }
}
