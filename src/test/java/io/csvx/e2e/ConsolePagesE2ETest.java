package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The console's sessions and their protection, seen over plain HTTP: the cookie's flags, CSRF
/// refusals, the pages' security headers, and that a console session ends where it is signed out.
class ConsolePagesE2ETest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");

    @TempDir
    Path dir;

    @Test
    void sessionsAreHttpOnlyStrictCookiesAndEveryChangeNeedsItsCsrfToken() {
        try (TestNode node = TestNode.start(dir); Api browser = new Api(node.api.base, null)) {
            Api.Resp refused = browser.form("/login", "token=wrong", Map.of());
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.headers()).doesNotContainKey("set-cookie");

            Api.Resp login = browser.form("/login", "token=" + TestNode.TOKEN, Map.of());
            assertThat(login.status()).isEqualTo(302);
            String setCookie = login.headers().get("set-cookie");
            assertThat(setCookie).startsWith("csvx_console=csvxc_").contains("HttpOnly").contains("SameSite=Strict")
                    .doesNotContain("Secure"); // plain HTTP here; over TLS (or behind a TLS proxy) it is Secure
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            Map<String, String> session = Map.of("Cookie", cookie);

            Api.Resp apps = browser.call(org.eclipse.jetty.http.HttpMethod.GET, "/apps", null, session);
            assertThat(apps.status()).isEqualTo(200);
            assertThat(apps.headers().get("content-security-policy")).contains("script-src 'self'")
                    .contains("frame-ancestors 'none'");
            Matcher m = CSRF.matcher(apps.text());
            assertThat(m.find()).isTrue();
            String csrf = m.group(1);

            // a change without the token, with another's, or from another site is refused
            assertThat(browser.form("/apps", "name=A", session).status()).isEqualTo(403);
            assertThat(browser.form("/apps", "name=A&csrf=" + "0".repeat(64), session).status()).isEqualTo(403);
            assertThat(browser.form("/apps", "name=A&csrf=" + csrf, Map.of("Cookie", cookie,
                    "Origin", "http://evil.example")).status()).isEqualTo(403);
            assertThat(node.api.get("/api/v1/app").body().path("data")).isEmpty();
            // with it, the change is made
            assertThat(browser.form("/apps", "name=A&uid=a&csrf=" + csrf, session).status()).isEqualTo(302);
            assertThat(node.api.get("/api/v1/app/a").status()).isEqualTo(200);

            // signing out ends the session on the server: the same cookie no longer works
            assertThat(browser.form("/logout", "csrf=" + csrf, session).status()).isEqualTo(302);
            Api.Resp after = browser.call(org.eclipse.jetty.http.HttpMethod.GET, "/apps", null, session);
            assertThat(after.status()).isEqualTo(302);
            assertThat(after.headers().get("location")).endsWith("/login");

            // the API's bearer token does not open the pages, nor a page cookie the API
            assertThat(node.api.call(org.eclipse.jetty.http.HttpMethod.GET, "/apps", null, Map.of()).status())
                    .isEqualTo(302);
            assertThat(browser.call(org.eclipse.jetty.http.HttpMethod.GET, "/api/v1/app", null, session).status())
                    .isEqualTo(401);
        }
    }

    @Test
    void portalsMayBeFramedByTheOriginsTheOperatorNamesAndTheConsoleByNone() {
        assertThatThrownBy(() -> io.csvx.config.Config.defaults(dir, 0)
                .withPortalFrameAncestors(List.of("https://ok.example; script-src *")))
                .hasMessageContaining("--portal-frame-ancestors");
        try (TestNode node = TestNode.start(dir, c -> c.withPortalFrameAncestors(
                List.of("https://app.example.com", "https://*.example.org:8443")))) {
            String app = node.api.app("acme");
            Api.Resp portal = node.api.call(org.eclipse.jetty.http.HttpMethod.GET, "/portal/" + app, null, Map.of());
            assertThat(portal.headers().get("content-security-policy"))
                    .contains("frame-ancestors https://app.example.com https://*.example.org:8443;");
            Api.Resp login = node.api.call(org.eclipse.jetty.http.HttpMethod.GET, "/login", null, Map.of());
            assertThat(login.headers().get("content-security-policy")).contains("frame-ancestors 'none'");
        }
    }

    @Test
    void aFinishedJobsPageStopsRefreshingAndCannotBeCancelled() {
        try (TestNode node = TestNode.start(dir); Api browser = new Api(node.api.base, null)) {
            node.api.app("acme");
            node.api.post("/api/v1/app/acme/pipeline", "{\"name\":\"p\",\"uid\":\"p\",\"steps\":[]}");
            String file = node.api.upload("/api/v1/app/acme/file?name=a.csv&pipeline=p",
                    new org.eclipse.jetty.client.StringRequestContent("text/csv", "a,b\n1,2\n")).str("id");
            String job = node.api.get("/api/v1/app/acme/job?fileId=" + file).body().path("data").get(0).path("id")
                    .asText();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    node.api.get("/api/v1/app/acme/job/" + job).str("status").equals("completed"));
            String setCookie = browser.form("/login", "token=" + TestNode.TOKEN, Map.of()).headers().get("set-cookie");
            Map<String, String> session = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
            String appId = node.api.get("/api/v1/app/acme").str("id");
            Api.Resp page = browser.call(org.eclipse.jetty.http.HttpMethod.GET, "/apps/" + appId + "/jobs/" + job, null,
                    session);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.text()).contains("completed").doesNotContain("hx-trigger").doesNotContain("Cancel the job");
            Matcher m = CSRF.matcher(page.text());
            assertThat(m.find()).isTrue();
            Api.Resp cancel = browser.form("/apps/" + appId + "/jobs/" + job + "/cancel", "csrf=" + m.group(1), session);
            assertThat(cancel.status()).isEqualTo(409);
            assertThat(cancel.text()).contains("is completed already");
        }
    }

    @Test
    void messagesAreSearchedByTypeChannelTimeAndAnEndpointsByStatus() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir);
             Api browser = new Api(node.api.base, null)) {
            receiver.answer((path, n) -> Receiver.Answer.of(path.equals("/bad") ? 500 : 200));
            String app = node.api.app("acme");
            String good = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/good") + "\"}");
            String bad = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/bad") + "\",\"filterTypes\":[\"order.failed\"]}");
            String created = node.api.publish(app, "order.created", "{\"n\":1}");
            String failed = node.api.post("/api/v1/app/" + app + "/msg", "{\"eventType\":\"order.failed\","
                    + "\"payload\":{\"n\":2},\"channels\":[\"eu\"]}").str("id");
            // the failing endpoint gives up after its (fast) retries
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> node.api.get(
                    "/api/v1/app/" + app + "/endpoint/" + bad + "/msg?status=2").body().path("data").size() == 1);
            String setCookie = browser.form("/login", "token=" + TestNode.TOKEN, Map.of()).headers().get("set-cookie");
            Map<String, String> session = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
            java.util.function.Function<String, String> page = path -> browser.call(
                    org.eclipse.jetty.http.HttpMethod.GET, "/apps/" + app + path, null, session).text();

            assertThat(page.apply("/messages?eventType=order.failed")).contains(failed).doesNotContain(created);
            assertThat(page.apply("/messages?channel=eu")).contains(failed).doesNotContain(created);
            String hourAgo = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusHours(1).withNano(0).toString();
            String hourOn = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusHours(1).withNano(0).toString();
            assertThat(page.apply("/messages?after=" + hourAgo)).contains(failed).contains(created);
            assertThat(page.apply("/messages?after=" + hourOn)).doesNotContain(failed).doesNotContain(created);
            assertThat(page.apply("/messages?before=" + hourAgo)).doesNotContain(failed).doesNotContain(created);
            // a malformed value is named, and ignored
            assertThat(page.apply("/messages?after=yesterday")).contains("Times are written 2026-12-01T10:00 (UTC).")
                    .contains(failed);

            assertThat(page.apply("/endpoints/" + bad + "?status=fail")).contains(failed);
            assertThat(page.apply("/endpoints/" + bad + "?status=success")).doesNotContain(failed).contains("None of these.");
            assertThat(page.apply("/endpoints/" + good + "?status=success")).contains(created).contains(failed);
            assertThat(page.apply("/endpoints/" + good + "?status=success&eventType=order.created")).contains(created)
                    .doesNotContain(failed);

            // recover what failed since an exact time: the failed message is attempted again
            receiver.answer((path, n) -> Receiver.Answer.of(200));
            Matcher m = CSRF.matcher(page.apply("/endpoints/" + bad));
            assertThat(m.find()).isTrue();
            assertThat(browser.form("/apps/" + app + "/endpoints/" + bad + "/task", "kind=recover&sinceAt=2099-01-01T00:00"
                    + "&csrf=" + m.group(1), session).text()).contains("not in the future");
            Api.Resp started = browser.form("/apps/" + app + "/endpoints/" + bad + "/task", "kind=recover&sinceAt="
                    + hourAgo + "&csrf=" + m.group(1), session);
            assertThat(started.status()).isEqualTo(302);
            assertThat(started.headers().get("location")).contains("?task=qtask_");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> node.api.get(
                    "/api/v1/app/" + app + "/endpoint/" + bad + "/msg?status=0").body().path("data").size() == 1);
        }
    }
}
