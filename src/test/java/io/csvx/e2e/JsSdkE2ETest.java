package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.csvx.testing.Required;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Svix's JavaScript SDK (pinned in `src/test/js/package.json`) against a test node, through
/// `src/test/js/sdk-check.mjs`: it parses every 202 as JSON, so resend must answer a JSON body.
/// Needs Node.js and `npm ci --prefix src/test/js`; without them the test is skipped with one
/// line, and `CSVX_TEST_REQUIRE_JS=1` (set by `.ci/run`) makes that a failure.
class JsSdkE2ETest {
    private static final Path SCRIPT_DIR = Path.of("src/test/js");

    @TempDir
    Path dir;

    @Test
    void theJavaScriptSdkParsesWhatCsvxAnswers() throws Exception {
        requireNodeAndSdk();
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            String app = node.api.app("js");
            String ep = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/js") + "\"}");
            String created = node.api.publish(app, "order.created", "{\"n\":1}");
            node.api.publish(app, "order.paid", "{\"n\":2}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/js").size() == 2);

            Process p = new ProcessBuilder("node", "sdk-check.mjs", "http://127.0.0.1:" + node.app.port(),
                    TestNode.TOKEN, app, ep, created).directory(SCRIPT_DIR.toFile()).redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.exitValue()).as(output).isZero();
            JsonNode out = Api.JSON.readTree(output.lines().reduce((a, b) -> b).orElseThrow());
            assertThat(out.path("resend").isObject()).isTrue();
            // only the order.created message's attempts (the resend may have added one), each with its message
            assertThat(out.path("attempts")).isNotEmpty().allSatisfy(a -> {
                assertThat(a.path("msgId").asText()).isEqualTo(created);
                assertThat(a.path("eventType").asText()).isEqualTo("order.created");
            });
            assertThat(out.path("deliverAt").asText()).isNotEmpty();
            assertThat(out.path("task").path("task").asText()).isEqualTo("endpoint.replay");
            assertThat(out.path("fetched").asBoolean()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/js").size() == 3); // the resend
        }
    }

    private static void requireNodeAndSdk() {
        String problem = null;
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/svix"))) {
            problem = "Svix's JavaScript SDK is not installed (npm ci --prefix src/test/js)";
        }
        try {
            Process v = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!v.waitFor(10, TimeUnit.SECONDS) || v.exitValue() != 0) {
                problem = "node does not run";
            }
        } catch (Exception e) {
            problem = "no node on the PATH";
        }
        if (problem != null) {
            Required.missing("CSVX_TEST_REQUIRE_JS", "the JavaScript SDK check", problem, " (docs/testing.md).");
        }
    }
}
