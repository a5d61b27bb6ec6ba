package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// With loopback not allowed, every spelling of a loopback target is refused before any
/// connection is made. Only loopback addresses are used here.
class SsrfGuardE2ETest {
    @TempDir
    Path dir;

    @Test
    void refusesEveryLoopbackSpellingWhenLoopbackIsNotAllowed() {
        try (Receiver receiver = new Receiver();
             TestNode node = TestNode.start(dir, c -> c.withAllowTargets(List.of()))) {
            Api api = node.api;
            api.app("acme");
            int port = receiver.port();
            List<String> hosts = List.of("localhost", "127.0.0.2", "[::1]", "0x7f000001", "2130706433");
            for (String host : hosts) {
                api.endpoint("acme", "{\"url\":\"http://" + host + ":" + port + "/guarded\"}");
            }
            String msg = api.publish("acme", "a", "{}");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode data = api.get("/api/v1/app/acme/attempt/msg/" + msg + "?limit=250").body().path("data");
                assertThat(data.size()).isGreaterThanOrEqualTo(hosts.size());
                for (JsonNode attempt : data) {
                    assertThat(attempt.path("status").asInt()).isEqualTo(2);
                    assertThat(attempt.path("responseStatusCode").asInt()).isZero();
                    assertThat(attempt.path("error").asText()).contains("SSRF guard refused");
                }
            });
            assertThat(receiver.hits()).isEmpty();
        }
    }

    @Test
    void allowTargetsOpensTheRange() {
        try (Receiver receiver = new Receiver();
             TestNode node = TestNode.start(dir, c -> c.withAllowTargets(List.of(io.csvx.net.Cidr.parse("127.0.0.0/8"))))) {
            node.api.app("acme");
            node.api.endpoint("acme", "{\"url\":\"http://0x7f000001:" + receiver.port() + "/open\"}");
            node.api.publish("acme", "a", "{}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/open").size() == 1);
        }
    }
}
