package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Incoming webhooks through real HTTP: sources verify, store, deduplicate and act.
class SourceE2ETest {
    @TempDir
    Path dir;

    private static String hmacHex(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    private static Api.Resp send(Api api, String sourceId, String body, Map<String, String> headers) {
        return api.call(HttpMethod.POST, "/in/" + sourceId, body, headers);
    }

    @Test
    void aGitHubStyleSenderIsVerifiedRelayedSignedAndDeduplicated() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            String ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/hooks") + "\",\"eventTypes\":[\"github.push\"]}");
            Api.Resp created = api.post("/api/v1/app/acme/source", """
                    {"name": "GitHub", "uid": "github",
                     "verification": {"type": "github", "secret": "gh-secret"},
                     "action": {"type": "emit", "eventType": "github.push"}}""");
            assertThat(created.status()).isEqualTo(201);
            String id = created.str("id");
            assertThat(id).startsWith("src_");
            assertThat(created.str("ingestUrl")).endsWith("/in/" + id);
            assertThat(created.body().path("verification").path("secret").asText()).isEqualTo("[hidden]");

            String body = "{\"ref\":\"refs/heads/main\",\"commits\":3}";
            Map<String, String> headers = Map.of("X-Hub-Signature-256", "sha256=" + hmacHex("gh-secret", body),
                    "X-GitHub-Delivery", "d-1", "X-GitHub-Event", "push");
            Api.Resp ok = send(api, id, body, headers);
            assertThat(ok.status()).isEqualTo(202);
            assertThat(ok.str("status")).isEqualTo("processed");
            assertThat(ok.str("messageId")).startsWith("msg_");

            // the relayed message reaches the endpoint, signed by CSV-X
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hooks").size() == 1);
            Receiver.Hit hit = receiver.hits("/hooks").getFirst();
            assertThat(hit.body()).isEqualTo(body);
            String secret = api.get("/api/v1/app/acme/endpoint/" + ep + "/secret").str("key");
            assertThatCode(() -> new Webhook(secret).verify(hit.body(), DeliveryE2ETest.headersOf(hit)))
                    .doesNotThrowAnyException();

            // the same delivery again: accepted, nothing triggered
            Api.Resp again = send(api, id, body, headers);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.str("status")).isEqualTo("duplicate");
            // tampered, unsigned: refused
            Api.Resp tampered = send(api, id, body.replace("3", "4"), headers);
            assertThat(tampered.status()).isEqualTo(401);
            assertThat(tampered.str("detail")).contains("does not match");
            assertThat(send(api, id, body, Map.of("X-GitHub-Delivery", "d-2")).status()).isEqualTo(401);
            Thread.sleep(300);
            assertThat(receiver.hits("/hooks")).hasSize(1);

            // every request is in the log, newest first, with what it triggered
            JsonNode log = api.get("/api/v1/app/acme/source/github/request").body().path("data");
            assertThat(log).extracting(r -> r.path("status").asText())
                    .containsExactly("rejected", "rejected", "duplicate", "processed");
            JsonNode first = log.get(3);
            assertThat(first.path("outcome").path("messageId").asText()).isEqualTo(ok.str("messageId"));
            assertThat(first.path("body").asText()).isEqualTo(body);
            assertThat(first.path("headers").path("x-github-delivery").asText()).isEqualTo("d-1");
            assertThat(log.get(0).path("verified").asBoolean()).isFalse();

            // a stored request replays: the action runs again
            Api.Resp replay = api.post("/api/v1/app/acme/source/github/request/" + first.path("id").asText() + "/replay",
                    "{}");
            assertThat(replay.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/hooks").size() == 2);
        }
    }

    @Test
    void standardWebhooksStripeAndKeysEachVerifyAndRefuse() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            String sw = api.post("/api/v1/app/acme/source", """
                    {"name": "partner", "verification": {"type": "standard-webhooks",
                     "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
                     "action": {"type": "emit", "eventType": "partner.event", "pointer": "/data"}}""").str("id");
            Webhook signer = new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
            String body = "{\"type\":\"x\",\"data\":{\"id\":7}}";
            long now = Instant.now().getEpochSecond();
            String sig = signer.sign("msg_1", now, body);
            Map<String, String> h = Map.of("webhook-id", "msg_1", "webhook-timestamp", Long.toString(now),
                    "webhook-signature", sig);
            Api.Resp ok = send(api, sw, body, h);
            assertThat(ok.status()).isEqualTo(202);
            JsonNode msg = api.get("/api/v1/app/acme/msg/" + ok.str("messageId")).body();
            assertThat(msg.path("payload").path("id").asInt()).isEqualTo(7); // the object at /data
            assertThat(send(api, sw, body, h).str("status")).isEqualTo("duplicate");
            String staleSig = signer.sign("msg_2", now - 600, body);
            Api.Resp stale = send(api, sw, body, Map.of("webhook-id", "msg_2", "webhook-timestamp",
                    Long.toString(now - 600), "webhook-signature", staleSig));
            assertThat(stale.status()).isEqualTo(401);
            assertThat(stale.str("detail")).contains("stale");
            // a body without the object at the pointer: stored, answered 422, nothing published
            String noData = "{\"type\":\"x\"}";
            Api.Resp bad = send(api, sw, noData, Map.of("webhook-id", "msg_3", "webhook-timestamp", Long.toString(now),
                    "webhook-signature", signer.sign("msg_3", now, noData)));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.str("detail")).contains("/data");

            String stripe = api.post("/api/v1/app/acme/source", """
                    {"name": "stripe", "verification": {"type": "stripe", "secret": "whsec_stripe"},
                     "action": {"type": "emit", "eventType": "stripe.event"}}""").str("id");
            String evt = "{\"id\":\"evt_9\",\"type\":\"invoice.paid\"}";
            Map<String, String> sh = Map.of("Stripe-Signature", "t=" + now + ",v1=" + hmacHex("whsec_stripe", now + "." + evt));
            assertThat(send(api, stripe, evt, sh).status()).isEqualTo(202);
            assertThat(send(api, stripe, evt, sh).str("status")).isEqualTo("duplicate"); // same event id
            assertThat(send(api, stripe, evt.replace("9", "8"), sh).status()).isEqualTo(401);

            String keyed = api.post("/api/v1/app/acme/source", """
                    {"name": "crm", "verification": {"type": "api-key", "header": "X-Api-Key", "key": "k-1"},
                     "action": {"type": "emit", "eventType": "crm.record"},
                     "dedup": {"jsonPointer": "/record/id", "window": "1h"}}""").str("id");
            String rec = "{\"record\":{\"id\":\"r1\",\"name\":\"Ann\"}}";
            assertThat(send(api, keyed, rec, Map.of("X-Api-Key", "k-1")).status()).isEqualTo(202);
            assertThat(send(api, keyed, rec, Map.of("X-Api-Key", "k-1")).str("status")).isEqualTo("duplicate");
            assertThat(send(api, keyed, rec, Map.of("X-Api-Key", "k-2")).status()).isEqualTo(401);
            JsonNode logged = api.get("/api/v1/app/acme/source/" + keyed + "/request").body().path("data").get(0);
            assertThat(logged.path("headers").path("x-api-key").asText()).isEqualTo("[redacted]");
        }
    }

    @Test
    void definitionsFailClosedAndBodiesHaveALimit() {
        try (TestNode node = TestNode.start(dir, c -> c.withLimits(1000, 512, 64))) {
            Api api = node.api;
            api.app("acme");
            Api.Resp noType = api.post("/api/v1/app/acme/source", "{\"name\":\"x\",\"verification\":{},"
                    + "\"action\":{\"type\":\"emit\",\"eventType\":\"a.b\"}}");
            assertThat(noType.status()).isEqualTo(422);
            assertThat(noType.body().path("detail").get(0).path("loc").get(1).asText()).isEqualTo("verification");
            Api.Resp noSecret = api.post("/api/v1/app/acme/source", "{\"name\":\"x\",\"verification\":{\"type\":\"github\"},"
                    + "\"action\":{\"type\":\"emit\",\"eventType\":\"a.b\"}}");
            assertThat(noSecret.body().path("detail").get(0).path("msg").asText()).contains("verification.secret");
            Api.Resp noPipeline = api.post("/api/v1/app/acme/source", "{\"name\":\"x\",\"verification\":{\"type\":\"none\"},"
                    + "\"action\":{\"type\":\"pipeline\",\"pipelineId\":\"nope\"}}");
            assertThat(noPipeline.body().path("detail").get(0).path("msg").asText()).contains("action.pipelineId");
            assertThat(api.post("/api/v1/app/acme/source", "{\"name\":\"x\",\"verification\":{\"type\":\"none\"}}")
                    .status()).isEqualTo(422);

            String open = api.post("/api/v1/app/acme/source", "{\"name\":\"open\",\"verification\":{\"type\":\"none\"},"
                    + "\"action\":{\"type\":\"emit\",\"eventType\":\"a.b\"}}").str("id");
            assertThat(send(api, open, "{\"n\":1}", Map.of()).status()).isEqualTo(202);
            Api.Resp big = send(api, open, "{\"n\":\"" + "x".repeat(2000) + "\"}", Map.of());
            assertThat(big.status()).isEqualTo(413);
            assertThat(send(api, "src_nope", "{}", Map.of()).status()).isEqualTo(404);
            assertThat(send(api, open, "not json", Map.of()).status()).isEqualTo(422);
        }
    }

    @Test
    void aCsvBodyOrAUrlInTheBodyRunsAPipeline() throws Exception {
        try (Receiver files = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"ids\",\"uid\":\"ids\",\"steps\":[{\"select\":[\"id\"]}],"
                    + "\"output\":{\"format\":\"ndjson\"}}");
            String csvSource = api.post("/api/v1/app/acme/source", """
                    {"name": "exports", "verification": {"type": "hmac", "header": "X-Signature", "secret": "k"},
                     "action": {"type": "pipeline", "pipelineId": "ids"}}""").str("id");
            String csv = "id,name\n1,Ann\n2,Bob\n";
            Api.Resp r = api.upload("/in/" + csvSource, new StringRequestContent("text/csv", csv));
            assertThat(r.status()).isEqualTo(401); // unsigned
            Api.Resp ok = send(api, csvSource, csv, Map.of("X-Signature", hmacHex("k", csv), "X-File-Name", "people.csv"));
            assertThat(ok.status()).isEqualTo(202);
            assertThat(api.get("/api/v1/app/acme/file/" + ok.str("fileId")).str("name")).isEqualTo("people.csv");
            JsonNode job = JobE2ETest.awaitJob(api, ok.str("fileId"), "completed");
            assertThat(api.get("/api/v1/app/acme/file/" + job.path("outputFileIds").get(0).asText() + "/content").text())
                    .isEqualTo("{\"id\":\"1\"}\n{\"id\":\"2\"}\n");

            // a JSON body naming a URL: the job fetches the file through the guarded client
            files.answer((path, n) -> path.equals("/exports/today.csv")
                    ? new Receiver.Answer(200, Map.of("Content-Type", "text/csv"), "id,x\n7,a\n8,b\n")
                    : Receiver.Answer.of(404));
            String urlSource = api.post("/api/v1/app/acme/source", """
                    {"name": "ready", "verification": {"type": "none"},
                     "action": {"type": "pipeline", "pipelineId": "ids", "urlPointer": "/file/url"}}""").str("id");
            Api.Resp queued = send(api, urlSource, "{\"file\":{\"url\":\"" + files.url("/exports/missing.csv") + "\"}}",
                    Map.of());
            assertThat(queued.status()).isEqualTo(202);
            String jobId = queued.body().path("jobIds").get(0).asText();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    api.get("/api/v1/app/acme/job/" + jobId).str("status").equals("failed"));
            assertThat(api.get("/api/v1/app/acme/job/" + jobId).str("error")).contains("404");
            assertThat(send(api, urlSource, "{\"file\":{\"url\":\"file:///etc/passwd\"}}", Map.of()).status())
                    .isEqualTo(422);
            Api.Resp fetched = send(api, urlSource, "{\"file\":{\"url\":\"" + files.url("/exports/today.csv") + "\"}}",
                    Map.of());
            String fetchJob = fetched.body().path("jobIds").get(0).asText();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    api.get("/api/v1/app/acme/job/" + fetchJob).str("status").equals("completed"));
            JsonNode done = api.get("/api/v1/app/acme/job/" + fetchJob).body();
            assertThat(api.get("/api/v1/app/acme/file/" + done.path("fileId").asText()).str("name")).isEqualTo("today.csv");
            assertThat(api.get("/api/v1/app/acme/file/" + done.path("outputFileIds").get(0).asText() + "/content").text())
                    .isEqualTo("{\"id\":\"7\"}\n{\"id\":\"8\"}\n");
        }
    }

    @Test
    void aFetchedUrlGoesThroughTheSsrfGuard() {
        try (Receiver files = new Receiver(); TestNode node = TestNode.start(dir, c -> c.withAllowTargets(java.util.List.of()))) {
            Api api = node.api;
            api.app("acme");
            api.post("/api/v1/app/acme/pipeline", "{\"name\":\"all\",\"uid\":\"all\",\"steps\":[]}");
            String src = api.post("/api/v1/app/acme/source", """
                    {"name": "ready", "verification": {"type": "none"},
                     "action": {"type": "pipeline", "pipelineId": "all", "urlPointer": "/url"}}""").str("id");
            String jobId = send(api, src, "{\"url\":\"" + files.url("/a.csv").replace("127.0.0.1", "localhost") + "\"}",
                    Map.of()).body().path("jobIds").get(0).asText();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    api.get("/api/v1/app/acme/job/" + jobId).str("status").equals("failed"));
            assertThat(api.get("/api/v1/app/acme/job/" + jobId).str("error")).contains("SSRF guard refused");
            assertThat(files.hits()).isEmpty();
        }
    }

    /// Twenty identical signed requests at once, for each scheme that names its deliveries: one is
    /// processed, nineteen are duplicates, one message is published (on SQLite and, in the second
    /// run, on PostgreSQL).
    @Test
    void twentyCopiesSentAtOnceAreProcessedOnce() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            String gh = api.post("/api/v1/app/acme/source", """
                    {"name": "gh", "verification": {"type": "github", "secret": "gh-secret"},
                     "action": {"type": "emit", "eventType": "race.github"}}""").str("id");
            String stripe = api.post("/api/v1/app/acme/source", """
                    {"name": "stripe", "verification": {"type": "stripe", "secret": "whsec_stripe"},
                     "action": {"type": "emit", "eventType": "race.stripe"}}""").str("id");
            String sw = api.post("/api/v1/app/acme/source", """
                    {"name": "sw", "verification": {"type": "standard-webhooks",
                     "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
                     "action": {"type": "emit", "eventType": "race.sw"}}""").str("id");
            long now = Instant.now().getEpochSecond();
            String ghBody = "{\"ref\":\"refs/heads/main\"}";
            String stripeBody = "{\"id\":\"evt_race\",\"type\":\"charge.succeeded\"}";
            String swBody = "{\"type\":\"race\"}";
            Map<String, Map<String, String>> copies = Map.of(
                    gh + "|" + ghBody, Map.of("X-Hub-Signature-256", "sha256=" + hmacHex("gh-secret", ghBody),
                            "X-GitHub-Delivery", "race-1"),
                    stripe + "|" + stripeBody, Map.of("Stripe-Signature",
                            "t=" + now + ",v1=" + hmacHex("whsec_stripe", now + "." + stripeBody)),
                    sw + "|" + swBody, Map.of("webhook-id", "msg_race", "webhook-timestamp", Long.toString(now),
                            "webhook-signature", new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                                    .sign("msg_race", now, swBody)));
            for (var copy : copies.entrySet()) {
                String source = copy.getKey().substring(0, copy.getKey().indexOf('|'));
                String body = copy.getKey().substring(copy.getKey().indexOf('|') + 1);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Api.Resp>> answers = new ArrayList<>();
                try (ExecutorService senders = Executors.newFixedThreadPool(20)) {
                    for (int i = 0; i < 20; i++) {
                        answers.add(senders.submit(() -> {
                            go.await();
                            return send(api, source, body, copy.getValue());
                        }));
                    }
                    go.countDown();
                }
                List<String> statuses = new ArrayList<>();
                for (Future<Api.Resp> a : answers) {
                    statuses.add(a.get().status() + " " + a.get().str("status"));
                }
                assertThat(statuses).as(source).containsOnly("202 processed", "200 duplicate");
                assertThat(statuses).as(source).filteredOn(st -> st.startsWith("202")).hasSize(1);
            }
            for (String type : List.of("race.github", "race.stripe", "race.sw")) {
                assertThat(api.get("/api/v1/app/acme/msg?event_types=" + type).body().path("data")).as(type).hasSize(1);
            }
        }
    }
}
