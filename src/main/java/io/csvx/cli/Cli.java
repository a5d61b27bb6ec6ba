package io.csvx.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/// The `csvx` command line: `serve`, `listen`, `convert` and `upload`. The benchmarks are
/// [io.csvx.bench.Bench]'s, which [io.csvx.Main] picks by name, so the server never loads them.
@Command(name = "csvx", mixinStandardHelpOptions = true, version = "CSV-X 0.1.0",
        description = "CSV tools whose every event is a signed, retried webhook.",
        scope = CommandLine.ScopeType.INHERIT, // -V and --help on every subcommand too
        footer = {"", "Benchmarks: csvx bench --help, csvx bench-csv --help (docs/benchmarks.md)."},
        subcommands = {ServeCommand.class, ListenCommand.class, ConvertCommand.class, UploadCommand.class,
            CommandLine.HelpCommand.class})
public final class Cli implements Runnable {

    public static int run(String[] args) {
        return new CommandLine(new Cli()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
