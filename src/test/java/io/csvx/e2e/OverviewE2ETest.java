package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.store.postgres.TestDatabase;
import io.csvx.testing.RequiresPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The console's overview on a node shows every node of the shared database: what the others
/// delivered, their count, the failing endpoints of every application, and the jobs behind it.
@RequiresPostgres
class OverviewE2ETest {
    @TempDir
    Path dir;

    private static String figure(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\">(?:<a [^>]*>)?([^<]*)<").matcher(html);
        return m.find() ? m.group(1) : "";
    }

    @Test
    void aNodesOverviewCountsEveryNodeOfTheSharedDatabase() throws Exception {
        try (TestDatabase db = new TestDatabase(); Receiver receiver = new Receiver();
             TestNode a = TestNode.start(dir.resolve("a"), c -> c.withDatabase(db.url()));
             TestNode b = TestNode.start(dir.resolve("b"), c -> c.withDatabase(db.url()).withJobs(0).withDispatch(false));
             Api console = new Api(b.api.base, null)) {
            receiver.answer((path, n) -> Receiver.Answer.of(path.equals("/bad") ? 500 : 200));
            String app = a.api.app("acme");
            a.api.endpoint(app, "{\"url\":\"" + receiver.url("/ok") + "\"}");
            String bad = a.api.endpoint(app, "{\"url\":\"" + receiver.url("/bad") + "\"}");
            for (int i = 0; i < 10; i++) {
                a.api.publish(app, "order.created", "{\"n\":" + i + "}");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/ok").size() == 10);
            a.api.upload("/api/v1/app/" + app + "/file?name=people.csv", new org.eclipse.jetty.client.StringRequestContent(
                    "text/csv", "id\n1\n"));
            a.api.post("/api/v1/app/" + app + "/pipeline", "{\"name\":\"p\",\"uid\":\"p\",\"steps\":[]}");

            // the overview of node b, which delivers nothing itself
            String cookie = console.form("/login", "token=" + TestNode.TOKEN, Map.of()).headers().get("set-cookie");
            Map<String, String> session = Map.of("Cookie", cookie.substring(0, cookie.indexOf(';')));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                String html = console.call(HttpMethod.GET, "/overview/stats", null, session).text();
                return figure(html, "node-count").equals("2") && !figure(html, "delivered-rate").equals("0.0")
                        && html.contains("/apps/" + app + "/endpoints/" + bad);
            });
            String html = console.call(HttpMethod.GET, "/", null, session).text();
            // 10 delivered (and the failing endpoint's attempts) within the last minute
            assertThat(Double.parseDouble(figure(html, "delivered-rate"))).isGreaterThanOrEqualTo(10 / 60.0 - 0.05);
            assertThat(figure(html, "latency")).matches("[0-9]+\\.[0-9]");
            assertThat(figure(html, "failing-count")).isEqualTo("1");
            assertThat(html).contains("id=\"chart-rates\"").contains("id=\"chart-latency\"").contains("id=\"chart-due\"");

            // the figures lead to the deliveries behind them, of every application
            await().atMost(Duration.ofSeconds(15)).until(() -> console.call(HttpMethod.GET, "/deliveries?show=failed",
                    null, session).text().contains("/apps/" + app + "/endpoints/" + bad));
            assertThat(html).contains("href=\"/deliveries?show=failed\"").contains("href=\"/deliveries?show=due\"");
            assertThat(console.call(HttpMethod.GET, "/deliveries?show=delivered", null, session).text())
                    .contains("/apps/" + app + "/messages/").doesNotContain("/endpoints/" + bad + "\"");

            // the jobs page lists every application's jobs, by status
            String job = a.api.post("/api/v1/app/" + app + "/job", "{\"pipelineId\":\"p\",\"fileId\":\""
                    + a.api.get("/api/v1/app/" + app + "/file").body().path("data").get(0).path("id").asText() + "\"}")
                    .str("id");
            await().atMost(Duration.ofSeconds(15)).until(() -> a.api.get("/api/v1/app/" + app + "/job/" + job)
                    .str("status").equals("completed"));
            String jobs = console.call(HttpMethod.GET, "/jobs?status=completed", null, session).text();
            assertThat(jobs).contains("/apps/" + app + "/jobs/" + job);
            assertThat(console.call(HttpMethod.GET, "/jobs?status=running", null, session).text()).doesNotContain(job);
        }
    }
}
