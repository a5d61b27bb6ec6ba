package io.csvx.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;

/// What the benchmarks share: percentiles of sorted samples, a free loopback port, the machine's
/// processes by name, waiting for a process they started to answer, and running `csvx` in a
/// fresh JVM as the launcher starts it.
final class Measures {
    private Measures() {
    }

    /// The sample at fraction `p` (0.5 the median, 1.0 the max) of `sorted`, divided by `perUnit`
    /// (1e6 for nanoseconds in milliseconds); NaN when there is none.
    static double percentile(long[] sorted, double p, double perUnit) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / perUnit;
    }

    /// The `/proc/PID` directories of this machine's processes whose name (`comm`) `named` accepts.
    static List<Path> processes(java.util.function.Predicate<String> named) throws IOException {
        try (var all = Files.list(Path.of("/proc"))) {
            return all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> named.test(comm(p))).toList();
        }
    }

    /// The name of a process or thread (`/proc/PID` or `/proc/PID/task/TID`), or "" for one that
    /// ended meanwhile.
    static String comm(Path procDir) {
        try {
            return Files.readString(procDir.resolve("comm")).strip();
        } catch (IOException gone) {
            return "";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /// Waits up to a minute for `url` to answer 2xx.
    static void awaitUp(HttpClient client, String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (client.newRequest(url).send().getStatus() < 300) {
                    return;
                }
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(url + " did not come up; see the logs in the data directory");
    }

    /// The command that starts `target/csvx.jar` in a fresh JVM as the launcher does (with its
    /// AOT cache when one is recorded for this jar), heap capped at `heap`; null without the jar.
    static List<String> launcherJvm(String heap) throws IOException {
        Path jar = Path.of("target", "csvx.jar");
        if (!Files.exists(jar)) {
            return null;
        }
        List<String> jvm = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Xlog:aot=off", "-Xlog:cds=off"));
        Path aot = Path.of("target", "csvx.aot");
        if (Files.exists(aot) && Files.getLastModifiedTime(aot).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
            jvm.add("-XX:AOTCache=" + aot);
        }
        jvm.addAll(List.of("-jar", jar.toString()));
        return jvm;
    }

    /// True when `jvm` (from [#launcherJvm]) uses the AOT cache.
    static boolean cached(List<String> jvm) {
        return jvm.stream().anyMatch(a -> a.startsWith("-XX:AOTCache="));
    }

    /// Runs a fresh JVM to completion and returns its wall time in seconds; fails on a non-zero exit.
    static double fresh(List<String> jvm, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String log = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IOException(String.join(" ", args) + " exited " + code + ": " + log);
        }
        return seconds;
    }
}
