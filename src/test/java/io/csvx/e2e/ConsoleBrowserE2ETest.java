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

    /// Checks that every text of the page has enough contrast with its background (4.5:1).
    private void contrast(String page) {
        assertThat(Browser.lowContrast(browser)).as("texts of %s under 4.5:1", page).isEmpty();
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
            contrast("sign-in");
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
            contrast("endpoint");

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
            browser.findElement(By.id("channels")).sendKeys("eu, orders");
            // a header CSV-X sets itself is refused, naming the line; the form keeps what was typed
            WebElement headers = browser.findElement(By.id("headers"));
            headers.sendKeys("X-Team: data\nwebhook-id: mine");
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.cssSelector("p.problem[role=alert]")).getText()
                            .equals("Headers, line 2: header 'webhook-id' is set by CSV-X and cannot be overridden."));
            assertThat(browser.findElement(By.id("channels")).getAttribute("value")).isEqualTo("eu, orders");
            headers = browser.findElement(By.id("headers"));
            headers.clear();
            headers.sendKeys("X-Team: data\nAuthorization: Bearer s3cret");
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            heading(receiver.url("/hook"));
            String epId = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
            Api.Resp saved = node.api.get("/api/v1/app/acme/endpoint/" + epId);
            assertThat(saved.body().path("format").path("type").asText()).isEqualTo("slack");
            assertThat(saved.body().path("channels").toString()).isEqualTo("[\"eu\",\"orders\"]");
            assertThat(saved.body().path("rateLimit").asInt()).isEqualTo(50);
            // the credential is sent but never shown again, on the page or in its edit form
            assertThat(browser.findElement(By.id("headers")).getText()).contains("X-Team: data")
                    .contains("Authorization: (hidden)");
            assertThat(browser.getPageSource()).doesNotContain("s3cret");
            browser.findElement(By.linkText("Edit")).click();
            heading("Edit endpoint");
            assertThat(browser.getPageSource()).doesNotContain("s3cret");
            browser.findElement(By.id("channels")).clear(); // every channel again, for what follows
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            heading(receiver.url("/hook"));
            assertThat(node.api.get("/api/v1/app/acme/endpoint/" + epId + "/headers").body().path("sensitive")
                    .toString()).isEqualTo("[\"Authorization\"]");

            // a CSV uploaded from the browser: described, previewed (markup as text), and the job
            // its name triggers runs to completion
            node.api.post("/api/v1/app/acme/pipeline", "{\"name\":\"orders\",\"steps\":[],"
                    + "\"output\":{\"format\":\"ndjson\"},\"trigger\":\"orders-*.csv\"}");
            java.nio.file.Path csv = dir.resolve("orders-1.csv");
            java.nio.file.Files.writeString(csv, "id,note\n1,<i>plain</i>\n2,b\n3,c\n");
            browser.findElement(By.linkText("Acme Corp")).click();
            browser.findElement(By.linkText("Files and jobs")).click();
            browser.findElement(By.id("file")).sendKeys(csv.toString());
            // what the progress bar showed as the page left for the file's: kept across the navigation
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                    window.addEventListener('pagehide', function () {
                      var bar = document.getElementById('upload-progress');
                      sessionStorage.setItem('progress', bar.hidden + ' ' + bar.value + '/' + bar.max);
                    });""");
            browser.findElement(By.xpath("//button[text()='Upload']")).click();
            heading("orders-1.csv");
            String bar = (String) ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("return sessionStorage.getItem('progress');");
            long size = java.nio.file.Files.size(csv);
            assertThat(bar).startsWith("false ");
            String[] sent = bar.substring("false ".length()).split("/"); // the form's whole body, file and fields
            assertThat(Long.parseLong(sent[0])).isEqualTo(Long.parseLong(sent[1])).isGreaterThan(size);
            assertThat(browser.findElement(By.id("rows")).getText()).isEqualTo("3");
            assertThat(browser.findElement(By.cssSelector("table.preview")).getText()).contains("<i>plain</i>");
            assertThat(browser.findElements(By.cssSelector("table.preview i"))).isEmpty();
            shot("file");
            contrast("file");
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
            assertThat(receiver.hits("/hook").stream().filter(h -> msg.equals(h.header("webhook-id"))).findFirst()
                    .orElseThrow()).satisfies(h -> {
                        assertThat(h.header("X-Team")).isEqualTo("data");
                        assertThat(h.header("Authorization")).isEqualTo("Bearer s3cret");
                    });
            browser.navigate().refresh(); // the application's page, with its latest messages
            browser.findElement(By.linkText(msg)).click();
            WebElement payload = browser.findElement(By.id("payload"));
            assertThat(payload.getText()).contains("<script>document.title='pwned'</script><b>bold</b>");
            assertThat(payload.findElements(By.tagName("script"))).isEmpty();
            assertThat(payload.findElements(By.tagName("b"))).isEmpty();
            assertThat(browser.getTitle()).isNotEqualTo("pwned");
            assertThat(browser.findElement(By.cssSelector("table.attempts")).getText()).contains("200");
            shot("message");
            contrast("message");

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
                    browser.findElement(By.id("chart-rates")).isDisplayed()
                            && browser.findElement(By.id("node-count")).getText().equals("1"));
            shot("overview");
            browser.findElement(By.linkText("Jobs running")).click();
            heading("Jobs");
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status"))).selectByValue("completed");
            browser.findElement(By.xpath("//button[text()='Show']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.cssSelector("table.jobs")).getText().contains("completed"));
            browser.navigate().back();
            browser.navigate().back();
            heading("Overview");
            contrast("overview");

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
            contrast("portal");
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

    @Test
    void anOperatorEditsAPipelineSeesItsErrorsAsTypedAndDryRunsIt() throws Exception {
        browser = Browser.open(1280, 900);
        try (TestNode node = TestNode.start(dir)) {
            String base = "http://127.0.0.1:" + node.app.port();
            String app = node.api.app("acme");
            node.api.upload("/api/v1/app/" + app + "/file?name=people.csv", new org.eclipse.jetty.client.StringRequestContent(
                    "text/csv", "id,email,amount\n1,a@x.io,5\n2,not-an-email,7\n3,c@x.io,0\n4,d@x.io,9\n"));
            signIn(base);
            browser.get(base + "/apps/" + app);
            browser.findElement(By.linkText("Pipelines")).click();
            heading("Pipelines");
            browser.findElement(By.linkText("New pipeline")).click();
            heading("New pipeline");
            browser.findElement(By.id("name")).sendKeys("clean people");
            WebElement definition = browser.findElement(By.id("definition"));
            definition.clear();
            // a typo in a filter: named, with its step, while it is typed
            definition.sendKeys("{\"steps\": [{\"filter\": \"amount >\"}]}");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("definition-problem")).getText().startsWith("steps[0] (filter):"));
            definition.clear();
            definition.sendKeys("""
                    {"steps": [{"filter": "amout > 0"}, {"validate": {"email": {"type": "email"}}},
                    {"select": ["email", "amount"]}]}""");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("definition-ok")).isDisplayed());
            // the column is wrong for this file: the dry run names it
            browser.findElement(By.xpath("//button[text()='Dry run']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("dry-run-problem")).getText()
                            .startsWith("steps[0] (filter): unknown column 'amout'"));
            definition.clear();
            definition.sendKeys("""
                    {"steps": [{"filter": "amount > 0"}, {"validate": {"email": {"type": "email"}}},
                    {"select": ["email", "amount"]}]}""");
            browser.findElement(By.xpath("//button[text()='Dry run']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("dry-run-summary")).getText()
                            .equals("people.csv: read 4 rows; kept 2, skipped 1, rejected 1."));
            assertThat(browser.findElement(By.id("dry-run-out")).getText()).contains("a@x.io 5").contains("d@x.io 9");
            assertThat(browser.findElement(By.id("dry-run-rejected")).getText()).contains("3").contains("email")
                    .contains("not-an-email");
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "document.getElementById('dry-run').scrollIntoView()");
            shot("pipeline");
            contrast("pipeline");
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            heading("clean people");
            assertThat(node.api.get("/api/v1/app/" + app + "/pipeline").body().path("data").get(0)
                    .path("steps").size()).isEqualTo(3);

            // saving a broken definition is refused with the same words, and keeps what was typed
            definition = browser.findElement(By.id("definition"));
            definition.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL,
                    org.openqa.selenium.Keys.END), "x");
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.cssSelector("p.problem[role=alert]")).getText().contains("not valid JSON"));
            assertThat(browser.findElement(By.id("definition")).getAttribute("value")).endsWith("x");

            // the saved pipeline runs on the file; its job completes with the rejects apart
            browser.findElement(By.linkText("Pipelines")).click();
            browser.findElement(By.linkText("clean people")).click();
            heading("clean people");
            browser.findElement(By.xpath("//button[text()='Run the saved pipeline']")).click();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("job-status")).getText().equals("completed"));
        }
    }

    @Test
    void anOperatorCreatesASourceAndAnEventTypeFromTheBrowser() throws Exception {
        browser = Browser.open(1280, 900);
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            String base = "http://127.0.0.1:" + node.app.port();
            String app = node.api.app("acme");
            node.api.endpoint(app, "{\"url\":\"" + receiver.url("/crm") + "\"}");
            signIn(base);

            // an event type with a schema: the example it makes shows as the schema is typed
            browser.get(base + "/apps/" + app + "/event-types");
            browser.findElement(By.linkText("New event type")).click();
            heading("New event type");
            browser.findElement(By.id("name")).sendKeys("crm.record");
            browser.findElement(By.id("description")).sendKeys("A record the CRM sent");
            WebElement schemas = browser.findElement(By.id("schemas"));
            schemas.sendKeys("{\"1\": {\"type\": \"object\", \"properties\": {\"record\": {\"type\": \"string\"");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("preview-problem")).getText().startsWith("Schemas: not JSON"));
            schemas.sendKeys(", \"examples\": [\"r-1\"]}}}}");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.id("preview-body")).getText().contains("\"record\""));
            shot("event-type");
            contrast("event type");
            browser.findElement(By.xpath("//button[text()='Create event type']")).click();
            heading("Event types");
            assertThat(browser.findElement(By.id("type-crm.record")).getText()).contains("A record the CRM sent");
            assertThat(node.api.get("/api/v1/event-type/crm.record").body().path("schemas").path("1").path("type")
                    .asText()).isEqualTo("object");
            browser.findElement(By.linkText("Edit crm.record")).click();
            heading("crm.record");
            browser.findElement(By.cssSelector("input[name=deprecated]")).click();
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            heading("Event types");
            assertThat(node.api.get("/api/v1/event-type/crm.record").body().path("deprecated").asBoolean()).isTrue();

            // a source: a broken definition is refused naming its field; then created and used
            browser.get(base + "/apps/" + app + "/sources");
            browser.findElement(By.linkText("New source")).click();
            heading("New source");
            browser.findElement(By.id("name")).sendKeys("crm");
            WebElement verification = browser.findElement(By.id("verification"));
            verification.clear();
            verification.sendKeys("{\"type\": \"github\"}");
            WebElement action = browser.findElement(By.id("action"));
            action.clear();
            action.sendKeys("{\"type\": \"emit\", \"eventType\": \"crm.record\"}");
            browser.findElement(By.xpath("//button[text()='Create source']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.cssSelector("p.problem[role=alert]")).getText()
                            .startsWith("verification.secret: "));
            verification = browser.findElement(By.id("verification"));
            verification.clear();
            verification.sendKeys("{\"type\": \"api-key\", \"header\": \"X-Api-Key\", \"key\": \"k-secret-1\"}");
            browser.findElement(By.xpath("//button[text()='Create source']")).click();
            heading("crm");
            String ingest = browser.findElement(By.id("ingest")).getAttribute("value");
            assertThat(browser.getPageSource()).doesNotContain("k-secret-1");
            assertThat(node.api.post(ingest.substring(base.length()), "{\"record\":\"r-9\"}", Map.of("X-Api-Key",
                    "k-secret-1")).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/crm").stream()
                    .anyMatch(h -> h.body().contains("r-9")));

            // edited: the hidden key left as it is keeps the stored one
            browser.findElement(By.linkText("Edit")).click();
            heading("Edit source");
            assertThat(browser.findElement(By.id("verification")).getAttribute("value")).contains("[hidden]")
                    .doesNotContain("k-secret-1");
            WebElement name = browser.findElement(By.id("name"));
            name.clear();
            name.sendKeys("crm (eu)");
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            heading("crm (eu)");
            assertThat(node.api.post(ingest.substring(base.length()), "{\"record\":\"r-10\"}", Map.of("X-Api-Key",
                    "k-secret-1")).status()).isEqualTo(202);
        }
    }

    @Test
    void anOperatorBrandsThePortalsAndTheCustomerSeesItsApplicationsOwn() throws Exception {
        browser = Browser.open(1280, 900);
        try (TestNode node = TestNode.start(dir)) {
            String base = "http://127.0.0.1:" + node.app.port();
            String app = node.api.app("acme");
            signIn(base);

            // the server's branding: an accent too light to read on white is refused with its ratio
            browser.findElement(By.linkText("Portal branding")).click();
            heading("Portal branding");
            browser.findElement(By.id("brand-name")).sendKeys("Ops Inc");
            browser.findElement(By.id("accent")).sendKeys("#ffcc00");
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    browser.findElement(By.cssSelector("p.problem[role=alert]")).getText()
                            .startsWith("The accent #ffcc00 has a contrast of 1."));
            WebElement accent = browser.findElement(By.id("accent"));
            accent.clear();
            accent.sendKeys("#146c2e");
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith("/branding?saved=1"));

            // the application's own: a name and a logo; the accent left to the server's
            java.nio.file.Path logo = dir.resolve("logo.svg");
            java.nio.file.Files.writeString(logo, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"32\">"
                    + "<rect width=\"96\" height=\"32\" rx=\"6\" fill=\"#146c2e\"/><text x=\"48\" y=\"21\" font-size=\"14\""
                    + " text-anchor=\"middle\" fill=\"#fff\" font-family=\"sans-serif\">ACME</text>"
                    + "<script>document.title = 'pwned'</script></svg>");
            browser.get(base + "/apps/" + app);
            browser.findElement(By.linkText("Portal branding")).click();
            heading("Portal branding of acme");
            browser.findElement(By.id("brand-name")).sendKeys("Acme Portal");
            browser.findElement(By.id("logo")).sendKeys(logo.toString());
            browser.findElement(By.xpath("//button[text()='Save']")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith("/branding?saved=1"));
            assertThat(browser.findElement(By.cssSelector("main img.logo")).getAttribute("src"))
                    .startsWith("data:image/svg+xml;base64,");
            // the console keeps its own look
            assertThat(browser.findElement(By.cssSelector("header .brand")).getText()).isEqualTo("CSV-X");

            // the customer's portal wears it: name, logo, the server's accent on its buttons
            Api.Resp access = node.api.post("/api/v1/auth/app-portal-access/" + app, "{}");
            browser.get(access.str("url"));
            heading("acme");
            assertThat(browser.findElement(By.cssSelector("header .brand")).getText()).isEqualTo("Acme Portal");
            assertThat(browser.findElement(By.cssSelector("header img.logo")).getAttribute("src"))
                    .startsWith("data:image/svg+xml;base64,");
            // shown by <img>, the SVG's script never runs
            assertThat(browser.getTitle()).isEqualTo("acme · Acme Portal");
            assertThat(browser.findElement(By.linkText("Add an endpoint")).getCssValue("background-color"))
                    .isIn("rgba(20, 108, 46, 1)", "rgb(20, 108, 46)");
            contrast("branded portal");
            shot("portal-branded");

            // another application's portal has the server's branding only
            String other = node.api.app("other");
            browser.get(node.api.post("/api/v1/auth/app-portal-access/" + other, "{}").str("url"));
            heading("other");
            assertThat(browser.findElement(By.cssSelector("header .brand")).getText()).isEqualTo("Ops Inc");
            assertThat(browser.findElements(By.cssSelector("header img.logo"))).isEmpty();
        }
    }

    @Test
    void theContrastCheckFindsTextTooLightForItsBackground() {
        browser = Browser.open(800, 600);
        browser.get("data:text/html,<body style='background:%23fff'><p style='color:%23999'>light grey</p>"
                + "<p style='color:%23767676'>just enough</p><div style='background:%23000'><span style='color:%23333'>"
                + "dark on black</span></div></body>");
        assertThat(Browser.lowContrast(browser)).hasSize(2).anySatisfy(t -> assertThat(t).startsWith("p \"light grey\""))
                .anySatisfy(t -> assertThat(t).startsWith("span \"dark on black\""));
    }

    private void signIn(String base) {
        browser.get(base + "/login");
        browser.findElement(By.id("token")).sendKeys(TestNode.TOKEN);
        browser.findElement(By.cssSelector("main form button")).click();
        heading("Overview");
    }
}
