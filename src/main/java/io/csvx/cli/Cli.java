package io.csvx.cli;

import io.csvx.store.StoreException;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/// The `csvx` command line: `serve`, `listen`, `convert` and `upload`. The benchmarks are
/// [io.csvx.bench.Bench]'s, which [io.csvx.Main] picks by name, so the server never loads them.
@Command(name = "csvx", mixinStandardHelpOptions = true, version = "CSV-X 0.1.0",
        description = "CSV tools whose every event is a signed, retried webhook.",
        scope = CommandLine.ScopeType.INHERIT, // -V, --help and the width on every subcommand too
        usageHelpWidth = 120, // wide enough that no URL in a description is cut in two
        footer = {"", "Benchmarks: csvx bench --help, csvx bench-csv --help (docs/benchmarks.md)."})
public final class Cli implements Runnable {
    /// The subcommands by name, in the order help lists them. Lambdas, not constructor references:
    /// a reference loads its class when the map is made, a lambda when it is called.
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("serve", () -> new ServeCommand());
        m.put("listen", () -> new ListenCommand());
        m.put("convert", () -> new ConvertCommand());
        m.put("diff", () -> new DiffCommand());
        m.put("upload", () -> new UploadCommand());
        m.put("rotate-key", () -> new RotateKeyCommand());
        return java.util.Collections.unmodifiableMap(m);
    }

    /// The command line for `args`: with only the subcommand they name, when they name one, for
    /// picocli builds each subcommand's model by reflection at every start (the others cost
    /// ~25 ms of the ~300 ms a `csvx diff` of two small files takes); with all of them for help
    /// and anything else.
    public static CommandLine commandLine(String[] args) {
        CommandLine line = new CommandLine(new Cli());
        Supplier<Object> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (named != null) {
            line.addSubcommand(named.get());
        } else {
            COMMANDS.values().forEach(c -> line.addSubcommand(c.get()));
            line.addSubcommand(new CommandLine.HelpCommand());
        }
        return line;
    }

    public static int run(String[] args) {
        CommandLine line = commandLine(args);
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            // what the operator must fix is one line, not a stack trace: a taken port, a database
            // that cannot be used
            BindException bind = causeOf(e, BindException.class);
            StoreException.Unusable store = causeOf(e, StoreException.Unusable.class);
            if (bind == null && store == null) {
                throw e;
            }
            failed.getErr().println("csvx " + failed.getCommandName() + ": "
                    + (bind != null ? e.getMessage() + ": " + bind.getMessage() : store.getMessage()));
            return 1;
        });
        return line.execute(args);
    }

    /// The first throwable of `type` in the chain of causes, or null.
    static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
