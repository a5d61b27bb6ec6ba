package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.csvx.testing.Browser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/// The console and a portal in a real browser (headless Chromium) against a real node and a
/// real receiver on loopback, walked through as their users would.
class ConsoleBrowserE2ETest {
    @TempDir
    Path dir;

    private WebDriver browser;

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    /// Keeps a screenshot of the page in `target/screenshots` (docs/console.md shows them).
    private void shot(String name) throws java.io.IOException {
        java.nio.file.Path to = java.nio.file.Path.of("target", "screenshots", name + ".png");
        java.nio.file.Files.createDirectories(to.getParent());
        java.nio.file.Files.write(to, ((org.openqa.selenium.TakesScreenshot) browser)
                .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    /// Waits for the page whose heading is `text` (a click's navigation takes its time).
    private void heading(String text) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> browser.findElement(By.tagName("h1")).getText().equals(text));
    }

    @Test
    void anOperatorSignsInCreatesAnEndpointSeesAttemptsAndResends() throws Exception {
        browser = Browser.open(1280, 900);
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            String base = "http://127.0.0.1:" + node.app.port();
            browser.get(base + "/");
            assertThat(browser.getCurrentUrl()).endsWith("/login");
            browser.findElement(By.id("token")).sendKeys("not-the-token");
            browser.findElement(By.cssSelector("form button")).click();
            assertThat(browser.findElement(By.cssSelector(".problem")).getText()).contains("not this server's admin token");
            shot("sign-in");
            browser.findElement(By.id("token")).sendKeys(TestNode.TOKEN);
            browser.findElement(By.cssSelector("main form button")).click();
            heading("Overview");
            browser.findElement(By.linkText("Applications")).click();
            heading("Applications");

            // an application, then an endpoint, from the forms
            browser.findElement(By.id("name")).sendKeys("Acme Corp");
            browser.findElement(By.id("uid")).sendKeys("acme");
            browser.findElement(By.xpath("//button[text()='Create application']")).click();
            heading("Acme Corp");
            browser.findElement(By.linkText("Add an endpoint")).click();
            browser.findElement(By.id("url")).sendKeys(receiver.url("/hook"));
            browser.findElement(By.xpath("//button[text()='Create endpoint']")).click();
            heading(receiver.url("/hook"));
            browser.findElement(By.linkText("Reveal the secret")).click();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    browser.findElement(By.id("secret")).getText().startsWith("whsec_"));
            shot("endpoint");

            // edit it: a Slack format, previewed live for an example event as it is typed
            browser.findElement(By.linkText("Edit")).click();
            heading("Edit endpoint");
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("previewType")))
                    .selectByValue("job.completed");
            WebElement format = browser.findElement(By.id("format"));
            format.clear();
            format.sendKeys("{\"type\": \"slak\"}");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("preview-problem")).getText().contains("format.type"));
            // the typo mended in place: "slak"} becomes "slack"}
            format.sendKeys(org.openqa.selenium.Keys.END, org.openqa.selenium.Keys.BACK_SPACE,
                    org.openqa.selenium.Keys.BACK_SPACE, org.openqa.selenium.Keys.BACK_SPACE, "ck\"}");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("preview-body")).getText().contains("\"text\""));
            browser.findElement(By.id("rate")).sendKeys("50");
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            heading(receiver.url("/hook"));
            assertThat(node.api.get("/api/v1/app/acme/endpoint/" + browser.getCurrentUrl()
                    .substring(browser.getCurrentUrl().lastIndexOf('/') + 1)).body().path("format").path("type").asText())
                    .isEqualTo("slack");

            // a CSV uploaded from the browser: described, previewed (markup as text), and the job
            // its name triggers runs to completion
            node.api.post("/api/v1/app/acme/pipeline", "{\"name\":\"orders\",\"steps\":[],"
                    + "\"output\":{\"format\":\"ndjson\"},\"trigger\":\"orders-*.csv\"}");
            java.nio.file.Path csv = dir.resolve("orders-1.csv");
            java.nio.file.Files.writeString(csv, "id,note\n1,<i>plain</i>\n2,b\n3,c\n");
            browser.findElement(By.linkText("Acme Corp")).click();
            browser.findElement(By.linkText("Files and jobs")).click();
            browser.findElement(By.id("file")).sendKeys(csv.toString());
            browser.findElement(By.xpath("//button[text()='Upload']")).click();
            heading("orders-1.csv");
            assertThat(browser.findElement(By.id("rows")).getText()).isEqualTo("3");
            assertThat(browser.findElement(By.cssSelector("table.preview")).getText()).contains("<i>plain</i>");
            assertThat(browser.findElements(By.cssSelector("table.preview i"))).isEmpty();
            shot("file");
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
                browser.navigate().refresh();
                return browser.findElement(By.cssSelector(".job-status")).getText().equals("completed");
            });
            browser.findElement(By.cssSelector("table a[href*='/jobs/']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("job-status")).getText().equals("completed"));
            assertThat(browser.findElement(By.linkText("orders-1.ndjson")).isDisplayed()).isTrue();
            assertThat(browser.findElements(By.xpath("//button[text()='Cancel the job']"))).isEmpty();
            browser.findElement(By.linkText("Acme Corp")).click();

            // a message whose payload holds markup: shown as text, never run
            String msg = node.api.publish("acme", "order.created",
                    "{\"note\":\"<script>document.title='pwned'</script><b>bold</b>\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hook").stream()
                    .anyMatch(h -> msg.equals(h.header("webhook-id"))));
            browser.navigate().refresh(); // the application's page, with its latest messages
            browser.findElement(By.linkText(msg)).click();
            WebElement payload = browser.findElement(By.id("payload"));
            assertThat(payload.getText()).contains("<script>document.title='pwned'</script><b>bold</b>");
            assertThat(payload.findElements(By.tagName("script"))).isEmpty();
            assertThat(payload.findElements(By.tagName("b"))).isEmpty();
            assertThat(browser.getTitle()).isNotEqualTo("pwned");
            assertThat(browser.findElement(By.cssSelector("table.attempts")).getText()).contains("200");
            shot("message");

            // the receiver fails from now on: resend, and the failed attempt shows
            receiver.answer((path, n) -> Receiver.Answer.of(503));
            browser.findElement(By.xpath("//button[text()='Resend']")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hook").stream()
                    .filter(h -> msg.equals(h.header("webhook-id"))).count() >= 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                browser.navigate().refresh();
                return browser.findElement(By.cssSelector("table.attempts")).getText().contains("503");
            });

            // from the endpoint's page: recover what failed, as a background task, and send an example
            receiver.answer((path, n) -> Receiver.Answer.of(200));
            browser.findElement(By.linkText(receiver.url("/hook"))).click();
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("kind"))).selectByValue("recover");
            browser.findElement(By.xpath("//button[text()='Start']")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("?task="));
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                browser.navigate().refresh();
                return browser.findElement(By.id("task")).getText().contains("finished");
            });
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("exampleType")))
                    .selectByValue("job.completed");
            int before = receiver.hits("/hook").size();
            browser.findElement(By.xpath("//button[text()='Send an example']")).click();
            heading("job.completed");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hook").size() > before);

            // a source: its ingest address, its request log with the key redacted, and a replay
            String src = node.api.post("/api/v1/app/acme/source", "{\"name\":\"crm\",\"verification\":"
                    + "{\"type\":\"api-key\",\"header\":\"X-Api-Key\",\"key\":\"k-1\"},"
                    + "\"action\":{\"type\":\"emit\",\"eventType\":\"crm.record\"}}").str("id");
            assertThat(node.api.post("/in/" + src, "{\"record\":\"<em>r1</em>\"}", Map.of("X-Api-Key", "k-1"))
                    .status()).isEqualTo(202);
            browser.get(base + "/apps/" + node.api.get("/api/v1/app/acme").str("id") + "/sources");
            browser.findElement(By.linkText("crm")).click();
            heading("crm");
            assertThat(browser.findElement(By.id("ingest")).getAttribute("value")).isEqualTo(base + "/in/" + src);
            browser.findElement(By.cssSelector("table.requests a")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.tagName("h1")).getText().startsWith("Request "));
            assertThat(browser.getPageSource()).doesNotContain("k-1");
            assertThat(browser.findElement(By.id("body")).getText()).contains("<em>r1</em>");
            String first = browser.findElement(By.tagName("h1")).getText();
            browser.findElement(By.xpath("//button[text()='Replay']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    !browser.findElement(By.tagName("h1")).getText().equals(first));
            assertThat(browser.findElement(By.linkText(first.substring("Request ".length()))).isDisplayed()).isTrue();

            // the overview counts what this node delivered, and updates by itself
            browser.get(base + "/");
            heading("Overview");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    !browser.findElement(By.cssSelector(".chart figcaption")).getText().contains(": 0 delivered"));
            shot("overview");

            // signing out ends the session
            browser.findElement(By.xpath("//button[text()='Sign out']")).click();
            heading("Sign in");
            browser.get(base + "/apps");
            assertThat(browser.getCurrentUrl()).endsWith("/login");
        }
    }

    @Test
    void aPortalSeesItsOwnApplicationOnlyAndWhatItsCapabilitiesAllow() throws Exception {
        browser = Browser.open(375, 800); // a phone's width
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            String base = "http://127.0.0.1:" + node.app.port();
            String acme = node.api.app("acme");
            String acmeEp = node.api.endpoint(acme, "{\"url\":\"" + receiver.url("/acme") + "\"}");
            String other = node.api.app("other");
            String otherEp = node.api.endpoint(other, "{\"url\":\"" + receiver.url("/other") + "\"}");
            String acmeMsg = node.api.publish(acme, "order.created", "{\"n\":1}");
            String otherMsg = node.api.publish(other, "order.created", "{\"n\":2}");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits().size() == 2);

            // a read-only portal link: Svix's app-portal-access answers it
            Api.Resp access = node.api.post("/api/v1/auth/app-portal-access/" + acme,
                    "{\"capabilities\":[\"ViewBase\"]}");
            browser.get(access.str("url"));
            heading("acme");
            assertThat(browser.getCurrentUrl()).doesNotContain("key=");
            shot("portal-phone");
            assertThat(browser.findElements(By.linkText("Add an endpoint"))).isEmpty();
            browser.findElement(By.linkText(receiver.url("/acme"))).click();
            heading(receiver.url("/acme"));
            assertThat(browser.findElements(By.linkText("Reveal the secret"))).isEmpty();
            assertThat(browser.findElements(By.xpath("//button[text()='Rotate the secret']"))).isEmpty();
            assertThat(browser.findElements(By.xpath("//button[text()='Send an example']"))).isEmpty();
            browser.findElement(By.linkText(acmeMsg)).click();
            heading("order.created");
            assertThat(browser.findElements(By.xpath("//button[text()='Resend']"))).isEmpty();
            browser.get(base + "/portal/" + acme + "/endpoints/" + acmeEp + "/secret");
            heading("Not allowed");

            // the event type catalogue, with CSV-X's own types, their examples and schemas
            browser.get(base + "/portal/" + acme + "/event-types");
            heading("Event types");
            assertThat(browser.findElement(By.id("type-job.completed")).getText()).contains("job.completed");

            // the other application is unreachable by any URL
            for (String path : List.of("/portal/" + other, "/portal/" + other + "/endpoints/" + otherEp,
                    "/portal/" + acme + "/endpoints/" + otherEp, "/portal/" + acme + "/messages/" + otherMsg,
                    "/portal/" + other + "/messages/" + otherMsg)) {
                browser.get(base + path);
                assertThat(browser.findElement(By.tagName("h1")).getText()).as(path).isIn("Not found", "Opening the portal…");
                assertThat(browser.getPageSource()).as(path).doesNotContain(receiver.url("/other"));
            }
            // nor does the portal's session reach the console
            browser.get(base + "/apps");
            assertThat(browser.getCurrentUrl()).endsWith("/login");

            // a link with every capability shows the secret and resend
            Api.Resp full = node.api.post("/api/v1/auth/app-portal-access/" + acme, "{}");
            browser.get("about:blank"); // a link opened afresh, as from an e-mail
            browser.get(full.str("url"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !browser.getCurrentUrl().contains("key="));
            browser.get(base + "/portal/" + acme + "/endpoints/" + acmeEp);
            browser.findElement(By.linkText("Reveal the secret")).click();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    browser.findElement(By.id("secret")).getText().startsWith("whsec_"));
            browser.get(base + "/portal/" + acme + "/messages/" + acmeMsg);
            browser.findElement(By.xpath("//button[text()='Resend']")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/acme").size() == 2);

            // signing out of the portal ends its token too
            browser.findElement(By.xpath("//button[text()='Sign out']")).click();
            heading("Signed out");
            assertThat(node.api.call(org.eclipse.jetty.http.HttpMethod.GET, "/api/v1/app/" + acme + "/endpoint", null,
                    Map.of("Authorization", "Bearer " + full.str("token"))).status()).isEqualTo(401);
            browser.get(base + "/portal/" + acme);
            heading("Opening the portal…");
        }
    }
}
