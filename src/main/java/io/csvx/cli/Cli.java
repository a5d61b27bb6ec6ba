package io.csvx.cli;

import java.net.BindException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/// The `csvx` command line: `serve`, `listen`, `convert` and `upload`. The benchmarks are
/// [io.csvx.bench.Bench]'s, which [io.csvx.Main] picks by name, so the server never loads them.
@Command(name = "csvx", mixinStandardHelpOptions = true, version = "CSV-X 0.1.0",
        description = "CSV tools whose every event is a signed, retried webhook.",
        scope = CommandLine.ScopeType.INHERIT, // -V, --help and the width on every subcommand too
        usageHelpWidth = 120, // wide enough that no URL in a description is cut in two
        footer = {"", "Benchmarks: csvx bench --help, csvx bench-csv --help (docs/benchmarks.md)."},
        subcommands = {ServeCommand.class, ListenCommand.class, ConvertCommand.class, UploadCommand.class,
            CommandLine.HelpCommand.class})
public final class Cli implements Runnable {

    public static int run(String[] args) {
        CommandLine line = new CommandLine(new Cli());
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            BindException bind = bindFailure(e);
            if (bind == null) {
                throw e;
            }
            // a taken port is the user's to fix: one line, not a stack trace
            failed.getErr().println("csvx " + failed.getCommandName() + ": " + e.getMessage() + ": " + bind.getMessage());
            return 1;
        });
        return line.execute(args);
    }

    private static BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                return b;
            }
        }
        return null;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
