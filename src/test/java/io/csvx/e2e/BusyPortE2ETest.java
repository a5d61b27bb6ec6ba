package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `csvx serve` and `csvx listen` on a port that is taken, run as a user runs them (a JVM of
/// their own): one line saying so, exit 1, and no admin token made for a server that never ran.
class BusyPortE2ETest {
    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    private static Run csvx(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as the jar's manifest allows SQLite's native library
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "io.csvx.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void aTakenPortIsOneLineAndLeavesNoToken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            Run serve = csvx("serve", "--port", port, "--data-dir", dir.toString());
            assertThat(serve.exit()).isEqualTo(1);
            assertThat(serve.output().strip().lines()).containsExactly(
                    "csvx serve: cannot listen on 127.0.0.1:" + port + ": Address already in use");
            assertThat(dir.resolve("admin-token")).doesNotExist();

            Run listen = csvx("listen", "--port", port);
            assertThat(listen.exit()).isEqualTo(1);
            assertThat(listen.output().strip().lines()).containsExactly(
                    "csvx listen: cannot listen on 127.0.0.1:" + port + ": Address already in use");
        }
    }

    @Test
    void everySubcommandKnowsItsVersion() throws Exception {
        for (String command : new String[] {"serve", "listen", "convert", "upload", "bench", "bench-csv"}) {
            Run v = csvx(command, "-V");
            assertThat(v.exit()).as(command).isZero();
            assertThat(v.output().strip()).as(command).isEqualTo("CSV-X 0.1.0");
        }
        assertThat(Files.exists(dir.resolve("admin-token"))).isFalse();
    }
}
