package io.csvx.e2e;

import io.csvx.config.Config;
import io.csvx.config.Durations;
import io.csvx.net.Cidr;
import io.csvx.node.App;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/// A real CSV-X node on a loopback port over a SQLite file in a test's temp dir,
/// with a short retry schedule so retries happen within a test.
final class TestNode implements AutoCloseable {
    static final String TOKEN = "test-token";
    static final String FAST_RETRIES = "100ms,200ms,300ms";

    final App app;
    final Api api;
    final Config config;

    private TestNode(Config config) {
        this.config = config;
        this.app = App.start(config);
        this.api = new Api("http://127.0.0.1:" + app.port(), TOKEN);
    }

    /// With `-Dcsvx.test.postgres=true` every node runs on PostgreSQL, one schema per test directory
    /// (so a node restarted on the same directory finds its data); the schemas go at exit.
    private static final java.util.Map<Path, io.csvx.store.postgres.TestDatabase> SCHEMAS =
            new java.util.concurrent.ConcurrentHashMap<>();

    static {
        if (Boolean.getBoolean("csvx.test.postgres")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> SCHEMAS.values().forEach(
                    io.csvx.store.postgres.TestDatabase::close)));
        }
    }

    static Config config(Path dir) {
        Config base = Config.defaults(dir, 0);
        if (Boolean.getBoolean("csvx.test.postgres")) {
            base = base.withDatabase(SCHEMAS.computeIfAbsent(dir, d -> new io.csvx.store.postgres.TestDatabase()).url());
        }
        return base.withToken(TOKEN).withEncryptionKey(TestKeys.KEY)
                .withAllowTargets(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")))
                .withRetrySchedule(Durations.parseList(FAST_RETRIES), 0)
                .withTiming(Duration.ofSeconds(2), Duration.ofDays(5), Duration.ofSeconds(3), Duration.ofMillis(50));
    }

    static TestNode start(Path dir) {
        return new TestNode(config(dir));
    }

    static TestNode start(Path dir, UnaryOperator<Config> change) {
        return new TestNode(change.apply(config(dir)));
    }

    @Override
    public void close() {
        api.close();
        app.close();
    }

    /// Stops as a crash would: leases stay taken, nothing is handed back.
    void crash() {
        api.close();
        app.halt();
    }
}
