package io.csvx.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/// The `csvx` command line: `serve`, `listen`, `convert`, `upload` and the benchmarks.
@Command(name = "csvx", mixinStandardHelpOptions = true, version = "CSV-X 0.1.0",
        description = "CSV tools whose every event is a signed, retried webhook.",
        subcommands = {ServeCommand.class, ListenCommand.class, ConvertCommand.class, UploadCommand.class, BenchCommand.class, BenchCsvCommand.class, AotTrainCommand.class,
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
