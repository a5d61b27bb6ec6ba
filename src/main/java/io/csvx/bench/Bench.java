package io.csvx.bench;

import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/// `csvx bench`, `csvx bench-wire`, `csvx bench-csv`, `csvx bench-diff`, `csvx bench-pages`, `csvx bench-isolation`
/// (with its hidden `bench-receiver`) and the launcher's hidden `csvx aot-train`: commands that
/// measure CSV-X or train its startup cache, kept apart from the product's command line.
@Command(name = "csvx", mixinStandardHelpOptions = true, version = "CSV-X 0.1.0",
        scope = CommandLine.ScopeType.INHERIT, usageHelpWidth = 120)
public final class Bench {
    /// The commands by name. Only the one named is given to picocli (as [io.csvx.cli.Cli] does),
    /// so that `aot-train` records in the startup cache what `convert` and `diff` load, and not
    /// every benchmark's server and client classes, which a later start would load for nothing.
    private static final Map<String, Supplier<Object>> COMMANDS = Map.of(
            "bench", () -> new BenchCommand(),
            "bench-csv", () -> new BenchCsvCommand(),
            "bench-diff", () -> new BenchDiffCommand(),
            "bench-pages", () -> new BenchPagesCommand(),
            "bench-isolation", () -> new BenchIsolationCommand(),
            "bench-receiver", () -> new BenchReceiverCommand(),
            "bench-wire", () -> new BenchWireCommand(),
            "aot-train", () -> new AotTrainCommand());

    private Bench() {
    }

    /// True when `args` names one of these commands.
    public static boolean handles(String[] args) {
        return args.length > 0 && COMMANDS.containsKey(args[0]);
    }

    public static int run(String[] args) {
        CommandLine line = new CommandLine(new Bench());
        line.addSubcommand(COMMANDS.get(args[0]).get());
        return line.execute(args);
    }
}
