package io.csvx.e2e;

import static org.awaitility.Awaitility.await;

import io.csvx.store.postgres.TestDatabase;
import io.csvx.testing.TestKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/// A CSV-X node in a process of its own on a shared PostgreSQL database, as an operator runs
/// several (so that SIGKILL kills it as it would in production); its log goes to
/// `node{index}.log` in `dir`.
record NodeProcess(Process process, Api api) {

    /// Starts `csvx serve` with the test token and key, loopback targets allowed, and `extra`
    /// options (lease, timing, concurrency…).
    static NodeProcess start(Path dir, TestDatabase db, int index, String... extra) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.csvx.Main", "serve",
                "--port", Integer.toString(port), "--data-dir", dir.resolve("node" + index).toString(),
                "--database", db.url(), "--token", TestNode.TOKEN, "--encryption-key", TestKeys.KEY,
                "--allow-targets", "127.0.0.0/8"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("node" + index + ".log").toFile()).start();
        return new NodeProcess(p, new Api("http://127.0.0.1:" + port, TestNode.TOKEN));
    }

    void awaitHealthy() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> api.get("/api/v1/health").status() == 204);
    }

    /// Publishes `message` (a MessageIn with `eventId`) to application `app` on a live node, the
    /// `first` one or the next: a node that died mid-request is tried again on the next, and a
    /// 409 there means the first try was committed. Answers the message's id.
    static String publishOnLive(List<NodeProcess> nodes, int first, String app, String eventId, String message) {
        for (int attempt = 0; attempt < 20; attempt++) {
            NodeProcess node = nodes.get((first + attempt) % nodes.size());
            if (!node.process().isAlive()) {
                continue;
            }
            try {
                Api.Resp r = node.api().post("/api/v1/app/" + app + "/msg", message);
                if (r.status() == 202) {
                    return r.str("id");
                }
                if (r.status() == 409) {
                    return node.api().get("/api/v1/app/" + app + "/msg/" + eventId).str("id");
                }
            } catch (IllegalStateException nodeDied) {
                // the request did not complete; try the next node
            }
        }
        throw new IllegalStateException("could not publish " + eventId);
    }

    /// Stops every node and waits for it to exit.
    static void stopAll(List<NodeProcess> nodes) throws InterruptedException {
        for (NodeProcess n : nodes) {
            n.api().close();
            n.process().destroy();
        }
        for (NodeProcess n : nodes) {
            n.process().waitFor();
        }
    }
}
