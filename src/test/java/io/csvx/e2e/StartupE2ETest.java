package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Starting as a user does (a JVM of its own) when something is wrong: `csvx serve` and `csvx
/// listen` on a port that is taken, `csvx serve` on a database that is lost, damaged or not one.
/// Each says so in one line naming what to fix, exits 1, and keeps no admin token it made.
class StartupE2ETest {
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

    private String freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return Integer.toString(s.getLocalPort());
        }
    }

    @Test
    void aLostDamagedOrForeignDatabaseIsRefusedInOneLineNamingTheFile() throws Exception {
        // a data dir that was used: the database made by a first start, and the admin token it kept
        Path data = dir.resolve("data");
        try (TestNode node = TestNode.start(data, c -> c.withToken(null))) {
            assertThat(node.api.get("/api/v1/health").status()).isEqualTo(204);
        }
        Path db = data.resolve("csvx.db");
        assertThat(data.resolve("admin-token")).exists();
        byte[] good = Files.readAllBytes(db);

        Files.write(db, new byte[0]); // truncated to nothing
        Run empty = csvx("serve", "--port", freePort(), "--data-dir", data.toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.output().strip().lines()).singleElement().asString()
                .startsWith("csvx serve: " + db + " is missing or empty, but " + data + " was used before");

        byte[] damaged = good.clone(); // a page in the middle overwritten with noise
        byte[] noise = new byte[Math.min(8192, damaged.length / 2)];
        new Random(7).nextBytes(noise);
        System.arraycopy(noise, 0, damaged, damaged.length / 2 - noise.length / 2, noise.length);
        Files.write(db, damaged);
        Run broken = csvx("serve", "--port", freePort(), "--data-dir", data.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.output().strip().lines()).singleElement().asString().startsWith("csvx serve: " + db);

        Files.writeString(db, "not a database at all, just text that is long enough to be read as a header ".repeat(20));
        Run foreign = csvx("serve", "--port", freePort(), "--data-dir", data.toString());
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.output().strip().lines()).singleElement().asString().startsWith("csvx serve: " + db);
    }

    @Test
    void whatANodeKeepsOnDiskIsItsOwnersAlone() throws Exception {
        Path data = dir.resolve("private");
        try (TestNode node = TestNode.start(data, c -> c.withToken(null))) {
            String token = Files.readString(data.resolve("admin-token")).trim();
            try (Api api = new Api("http://127.0.0.1:" + node.app.port(), token)) {
                api.post("/api/v1/app", "{\"name\":\"Acme\",\"uid\":\"acme\"}");
                assertThat(api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=a.csv",
                        "a,b\n1,2\n", Map.of()).status()).isEqualTo(201);
            }
            assertThat(permissions(data)).isEqualTo("rwx------");
            assertThat(permissions(data.resolve("files"))).isEqualTo("rwx------");
            for (String name : List.of("csvx.db", "csvx.db-wal", "csvx.db-shm", "admin-token")) {
                if (Files.exists(data.resolve(name))) {
                    assertThat(permissions(data.resolve(name))).as(name).isEqualTo("rw-------");
                }
            }
            try (var stored = Files.walk(data.resolve("files"))) {
                List<Path> csv = stored.filter(p -> p.toString().endsWith(".csv")).toList();
                assertThat(csv).isNotEmpty().allSatisfy(p -> assertThat(permissions(p)).isEqualTo("rw-------"));
            }
        }
    }

    private static String permissions(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
