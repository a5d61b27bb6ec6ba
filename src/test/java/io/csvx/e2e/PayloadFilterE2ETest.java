package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// An endpoint's payload filter: refused with its position when it does not compile; messages
/// whose payload does not meet it make no delivery there, and show as filtered.
class PayloadFilterE2ETest {
    @TempDir
    Path dir;

    @Test
    void onlyPayloadsThatMeetAnEndpointsFilterReachIt() {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir);
             Api browser = new Api(node.api.base, null)) {
            String app = node.api.app("acme");
            Api.Resp bad = node.api.post("/api/v1/app/" + app + "/endpoint", "{\"url\":\"" + receiver.url("/big")
                    + "\",\"filter\":\"data.rows >\"}");
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body().path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"filter\"]");
            assertThat(bad.body().path("detail").get(0).path("msg").asText()).contains("at position 12");

            String big = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/big") + "\",\"filter\":"
                    + "\"data.rows > 1000 and data.name startsWith \\\"orders-\\\"\"}");
            node.api.endpoint(app, "{\"url\":\"" + receiver.url("/all") + "\"}");
            assertThat(node.api.get("/api/v1/app/" + app + "/endpoint/" + big).str("filter"))
                    .isEqualTo("data.rows > 1000 and data.name startsWith \"orders-\"");

            String small = node.api.publish(app, "file.uploaded", "{\"data\":{\"rows\":10,\"name\":\"orders-1.csv\"}}");
            String other = node.api.publish(app, "file.uploaded", "{\"data\":{\"rows\":5000,\"name\":\"users.csv\"}}");
            String large = node.api.publish(app, "file.uploaded", "{\"data\":{\"rows\":5000,\"name\":\"orders-2.csv\"}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/all").size() == 3
                    && receiver.hits("/big").size() == 1);
            assertThat(receiver.hits("/big").getFirst().header("webhook-id")).isEqualTo(large);
            // no delivery was made for the others: the message's endpoints say so
            assertThat(node.api.get("/api/v1/app/" + app + "/msg/" + small + "/endpoint").body().path("data")).hasSize(1);

            // the console shows the endpoint as having filtered the message out
            String cookie = browser.form("/login", "token=" + TestNode.TOKEN, Map.of()).headers().get("set-cookie");
            Map<String, String> session = Map.of("Cookie", cookie.substring(0, cookie.indexOf(';')));
            String page = browser.call(HttpMethod.GET, "/apps/" + app + "/messages/" + other, null, session).text();
            assertThat(page).contains("id=\"filtered\"").contains("/endpoints/" + big);
            assertThat(browser.call(HttpMethod.GET, "/apps/" + app + "/messages/" + large, null, session).text())
                    .doesNotContain("id=\"filtered\"");

            // edited in the console: refused with the same words, then saved
            java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"")
                    .matcher(page);
            assertThat(csrf.find()).isTrue();
            String form = "url=" + java.net.URLEncoder.encode(receiver.url("/big"), java.nio.charset.StandardCharsets.UTF_8)
                    + "&csrf=" + csrf.group(1) + "&filter=";
            Api.Resp refused = browser.form("/apps/" + app + "/endpoints/" + big + "/edit", form + "data.rows+%3E", session);
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.text()).contains("The payload filter: expected a column, text or number at position 12");
            assertThat(browser.form("/apps/" + app + "/endpoints/" + big + "/edit", form + "data.rows+%3E+2000", session)
                    .status()).isEqualTo(302);
            assertThat(node.api.get("/api/v1/app/" + app + "/endpoint/" + big).str("filter")).isEqualTo("data.rows > 2000");

            // removed by a patch: every payload goes there again
            assertThat(node.api.call(HttpMethod.PATCH, "/api/v1/app/" + app + "/endpoint/" + big, "{\"filter\":null}",
                    Map.of()).status()).isEqualTo(200);
            node.api.publish(app, "file.uploaded", "{\"data\":{\"rows\":1}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/big").size() == 2);
        }
    }
}
