package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.csvx.node.App;
import io.csvx.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// What is secret is sealed in the database: after secrets are written through the API, none of
/// them is in the SQLite files, deliveries still sign with them, a node with another key refuses
/// to start, and what an older version kept in plain text is sealed on the next start.
class SecretsAtRestE2ETest {
    private static final String SIGNING = "whsec_c2VhbGVkLXNpZ25pbmctc2VjcmV0LTEyMzQ1Ng==";
    private static final String HEADER = "tok-SECRET-123";
    private static final String GITHUB = "gh-SECRET-456";
    private static final String LEGACY = "legacy-value-789";

    @TempDir
    Path dir;

    private String databaseBytes() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String f : List.of("csvx.db", "csvx.db-wal")) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                all.write(Files.readAllBytes(p));
            }
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void secretsAreSealedAtRestAndStillSign() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String ep;
            try (TestNode node = TestNode.start(dir)) {
                Api api = node.api;
                api.app("acme");
                ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/hooks") + "\",\"secret\":\"" + SIGNING + "\"}");
                assertThat(api.call(HttpMethod.PUT, "/api/v1/app/acme/endpoint/" + ep + "/headers",
                        "{\"headers\":{\"Authorization\":\"Bearer " + HEADER + "\"}}", Map.of()).status())
                        .isEqualTo(204);
                assertThat(api.post("/api/v1/app/acme/source", "{\"name\":\"gh\",\"verification\":{\"type\":\"github\","
                        + "\"secret\":\"" + GITHUB + "\"},\"action\":{\"type\":\"emit\",\"eventType\":\"x\"}}").status())
                        .isEqualTo(201);
                api.publish("acme", "a", "{\"n\":1}");
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hooks").size() == 1);
                Receiver.Hit hit = receiver.hits("/hooks").getFirst();
                assertThat(hit.headers().get("authorization")).isEqualTo("Bearer " + HEADER);
                assertThatCode(() -> new Webhook(SIGNING).verify(hit.body(), DeliveryE2ETest.headersOf(hit)))
                        .doesNotThrowAnyException();
            }
            String raw = databaseBytes();
            for (String secret : List.of(SIGNING, SIGNING.substring(6), HEADER, GITHUB)) {
                assertThat(raw).as(secret).doesNotContain(secret);
            }
            byte[] key = new byte[32];
            key[0] = 9;
            String otherKey = Base64.getEncoder().encodeToString(key);
            assertThatThrownBy(() -> App.start(TestNode.config(dir).withEncryptionKey(otherKey)))
                    .isInstanceOf(StoreException.Unusable.class).hasMessageContaining("encryption key");

            // headers an older version kept in plain text: sealed on the next start, still sent
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("csvx.db"));
                 Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE endpoint SET headers = '{\"X-Legacy\":\"" + LEGACY + "\"}'");
            }
            try (TestNode node = TestNode.start(dir)) {
                node.api.publish("acme", "a", "{\"n\":2}");
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hooks").size() == 2);
                assertThat(receiver.hits("/hooks").get(1).headers().get("x-legacy")).isEqualTo(LEGACY);
            }
            assertThat(databaseBytes()).doesNotContain(LEGACY);
        }
    }

    @Test
    void aKeyRotationSealsEverythingAgainAndCanBeRunTwice() throws Exception {
        byte[] next = new byte[32];
        next[31] = 7;
        String newKey = Base64.getEncoder().encodeToString(next);
        try (Receiver receiver = new Receiver()) {
            try (TestNode node = TestNode.start(dir)) {
                node.api.app("acme");
                node.api.endpoint("acme", "{\"url\":\"" + receiver.url("/hooks") + "\",\"secret\":\"" + SIGNING + "\"}");
            }
            assertThat(App.rotateKey(TestNode.config(dir), newKey)).isPositive();
            assertThat(App.rotateKey(TestNode.config(dir), newKey)).isPositive(); // interrupted or not: again is fine
            assertThatThrownBy(() -> App.start(TestNode.config(dir))) // the old key no longer opens them
                    .isInstanceOf(StoreException.Unusable.class);
            try (TestNode node = TestNode.start(dir, c -> c.withEncryptionKey(newKey))) {
                node.api.publish("acme", "a", "{\"n\":1}");
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hooks").size() == 1);
                Receiver.Hit hit = receiver.hits("/hooks").getFirst();
                assertThatCode(() -> new Webhook(SIGNING).verify(hit.body(), DeliveryE2ETest.headersOf(hit)))
                        .doesNotThrowAnyException();
            }
            assertThat(databaseBytes()).doesNotContain(SIGNING.substring(6));
        }
    }
}
