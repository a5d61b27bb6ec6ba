package io.csvx.bench;

import io.csvx.net.OutboundClient;
import io.csvx.store.Db;
import io.csvx.store.Ids;
import io.csvx.store.Sealer;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `csvx bench-pages`: how long the console's pages take with a large application. It stores
/// `--messages` messages of one application straight into a fresh SQLite database, starts
/// `csvx serve` on it as a process of its own (as users run it), signs in, and times each page
/// over HTTP from this process: p50, p99 and max of `--requests` requests after a warm-up.
@Command(name = "bench-pages", mixinStandardHelpOptions = true,
        description = "Benchmark the console's pages on an application with many messages (a separate server process).")
final class BenchPagesCommand implements Callable<Integer> {
    private static final String TOKEN = "bench-token";
    private static final List<String> TYPES = List.of("order.created", "order.paid", "order.shipped", "order.refunded");

    @Option(names = "--messages", defaultValue = "1000000", description = "Messages in the application. Default: ${DEFAULT-VALUE}")
    int messages;

    @Option(names = "--requests", defaultValue = "300", description = "Timed requests per page. Default: ${DEFAULT-VALUE}")
    int requests;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("csvx-bench-pages");
        String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        Ids ids = new Ids();
        String appId = ids.next("app_");
        String sampleMsg;
        long t0 = System.nanoTime();
        try (Stores stores = JdbcStores.create(SqliteDb.open(data), new Sealer(Sealer.parseKey(key),
                new SecureRandom()))) {
            sampleMsg = fill(stores.db(), ids, appId);
        }
        System.out.printf("stored %,d messages of one application in %.1f s%n", messages, (System.nanoTime() - t0) / 1e9);

        int port = Measures.freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.csvx.Main", "serve",
                "--port", Integer.toString(port), "--data-dir", data.toString(), "--token", TOKEN,
                "--encryption-key", key).redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile())
                .start();
        HttpClient client = OutboundClient.forApi(8);
        String base = "http://127.0.0.1:" + port;
        try {
            Measures.awaitUp(client, base + "/api/v1/health");
            ContentResponse login = client.newRequest(base + "/login").method(HttpMethod.POST).followRedirects(false)
                    .body(new StringRequestContent("application/x-www-form-urlencoded", "token=" + TOKEN)).send();
            String cookie = login.getHeaders().get("Set-Cookie").split(";", 2)[0];
            String app = base + "/apps/" + appId;
            for (String[] page : new String[][] {{"messages, newest 50", app + "/messages"},
                {"messages of one event type", app + "/messages?eventType=order.shipped"},
                {"messages before a time (the older half)", app + "/messages?before=" + LocalDateTime.now(ZoneOffset.UTC)
                        .minusSeconds(messages / 2000).withNano(0)},
                {"a message", app + "/messages/" + sampleMsg},
                {"the application", app},
                {"the overview (every node's hour)", base + "/"}}) {
                time(client, cookie, page[0], page[1]);
            }
        } finally {
            client.stop();
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        return 0;
    }

    /// The application, one endpoint, and the messages in batches of 50,000 rows a transaction;
    /// answers the id of one message in the middle.
    private String fill(Db db, Ids ids, String appId) {
        Instant now = Instant.now();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO application (id, uid, name, throttle_rate,"
                    + " metadata, created_at, updated_at) VALUES (?, 'bench', 'Bench', NULL, '{}', ?, ?)")) {
                ps.setString(1, appId);
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, now.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
        String[] middle = new String[1];
        int batch = 50_000;
        for (int done = 0; done < messages; done += batch) {
            int from = done;
            int to = Math.min(messages, done + batch);
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO message (id, app_id, event_type, event_id,"
                        + " channels, tags, payload, created_at, expires_at, deliver_at) VALUES (?,?,?,NULL,NULL,NULL,?,?,?,NULL)")) {
                    for (int i = from; i < to; i++) {
                        long at = now.toEpochMilli() - (messages - i);
                        String id = ids.at("msg_", Instant.ofEpochMilli(at)); // as if published then
                        if (i == messages / 2) {
                            middle[0] = id;
                        }
                        ps.setString(1, id);
                        ps.setString(2, appId);
                        ps.setString(3, TYPES.get(i % TYPES.size()));
                        ps.setString(4, "{\"order\":" + i + ",\"total\":" + (i % 997) + ".50,\"currency\":\"EUR\"}");
                        ps.setLong(5, at);
                        ps.setLong(6, at + Duration.ofDays(90).toMillis());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        }
        return middle[0];
    }

    private void time(HttpClient client, String cookie, String what, String url) throws Exception {
        for (int i = 0; i < 100; i++) {
            get(client, cookie, url);
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            get(client, cookie, url);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("%-28s p50 %5.1f ms, p99 %5.1f ms, max %5.1f ms (%d requests)%n", what,
                Measures.percentile(nanos, 0.5, 1e6), Measures.percentile(nanos, 0.99, 1e6),
                Measures.percentile(nanos, 1.0, 1e6), requests);
    }

    private static void get(HttpClient client, String cookie, String url) throws Exception {
        ContentResponse r = client.newRequest(url).headers(h -> h.put("Cookie", cookie)).followRedirects(false).send();
        if (r.getStatus() != 200) {
            throw new IllegalStateException(url + " answered " + r.getStatus());
        }
    }
}
