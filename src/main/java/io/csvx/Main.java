package io.csvx;

import io.csvx.bench.Bench;
import io.csvx.cli.Cli;

/// Entry point of the `csvx` command.
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Bench.handles(args) ? Bench.run(args) : Cli.run(args));
    }
}
