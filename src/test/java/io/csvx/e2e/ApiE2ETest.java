package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The REST surface: shapes, errors, pagination, idempotency, auth.
class ApiE2ETest {
    @TempDir
    Path dir;

    TestNode node;
    Api api;

    @BeforeEach
    void start() {
        node = TestNode.start(dir, c -> c.withLimits(4096, 64, 8));
        api = node.api;
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void applicationsCrudWithUidsAndGetIfExists() {
        Api.Resp created = api.post("/api/v1/app", "{\"name\":\"Acme\",\"uid\":\"acme\",\"metadata\":{\"tier\":\"gold\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.str("id")).startsWith("app_");
        assertThat(created.body().path("metadata").path("tier").asText()).isEqualTo("gold");
        assertThat(created.body().has("createdAt")).isTrue();

        assertThat(api.post("/api/v1/app", "{\"name\":\"Again\",\"uid\":\"acme\"}").status()).isEqualTo(409);
        Api.Resp again = api.post("/api/v1/app?get_if_exists=true", "{\"name\":\"Again\",\"uid\":\"acme\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.str("id")).isEqualTo(created.str("id"));

        assertThat(api.get("/api/v1/app/acme").str("id")).isEqualTo(created.str("id"));
        assertThat(api.patch("/api/v1/app/acme", "{\"name\":\"Acme Ltd\"}").str("name")).isEqualTo("Acme Ltd");
        assertThat(api.put("/api/v1/app/newco", "{\"name\":\"NewCo\"}").status()).isEqualTo(201);
        assertThat(api.get("/api/v1/app/newco").str("uid")).isEqualTo("newco");
        assertThat(api.delete("/api/v1/app/newco").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/app/newco").status()).isEqualTo(404);
    }

    @Test
    void deletingAnApplicationAnswersAtOnceStopsWhatActsForItAndRemovesItsRowsInTheBackground() {
        api.app("bulk");
        api.endpoint("bulk", "{\"url\":\"http://127.0.0.1:9/never\"}");
        String source = api.post("/api/v1/app/bulk/source", """
                {"name": "in", "verification": {"type": "none"}, "action": {"type": "emit", "eventType": "x"}}""")
                .str("id");
        String token = api.post("/api/v1/auth/app-portal-access/bulk", "{}").str("token");
        try (Api portal = new Api(api.base, token)) {
            assertThat(portal.get("/api/v1/app/bulk/msg").status()).isEqualTo(200);
        }
        for (int i = 0; i < 250; i++) {
            assertThat(api.publish("bulk", "a", "{\"i\":" + i + "}")).startsWith("msg_");
        }

        assertThat(api.delete("/api/v1/app/bulk").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/app/bulk").status()).isEqualTo(404);
        assertThat(api.call(HttpMethod.POST, "/in/" + source, "{}", Map.of()).status()).isEqualTo(404);
        try (Api portal = new Api(api.base, token)) {
            // refused at once: 403 while this node's cache of tokens (1 s) still holds it, as its application
            // is gone; 401 after (the store contract test checks that the delete removes the token itself)
            assertThat(portal.get("/api/v1/app/bulk/msg").status()).isIn(401, 403);
        }
        // the uid is free again: a new application that sees nothing of the old one's
        Api.Resp again = api.put("/api/v1/app/bulk", "{\"name\":\"Bulk again\"}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(api.get("/api/v1/app/bulk/msg").body().path("data")).isEmpty();
        assertThat(api.get("/api/v1/app/bulk/endpoint").body().path("data")).isEmpty();
        // and the old one's rows go, a batch at a time
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Api anonymous = new Api(api.base, null)) {
                assertThat(anonymous.call(HttpMethod.GET, "/metrics", null, Map.of()).text())
                        .contains("csvx_applications_deleting 0.0");
            }
        });
    }

    @Test
    void listsPageWithIteratorUntilDone() {
        for (int i = 0; i < 7; i++) {
            api.app("a" + i);
        }
        Set<String> seen = new HashSet<>();
        String iterator = null;
        int pages = 0;
        while (true) {
            JsonNode page = api.get("/api/v1/app?limit=3" + (iterator == null ? "" : "&iterator=" + iterator)).body();
            page.path("data").forEach(a -> seen.add(a.path("id").asText()));
            pages++;
            if (page.path("done").asBoolean()) {
                break;
            }
            iterator = page.path("iterator").asText();
        }
        assertThat(seen).hasSize(7);
        assertThat(pages).isEqualTo(3);
        assertThat(api.get("/api/v1/app?limit=0").status()).isEqualTo(422);
    }

    @Test
    void validationErrorsNameEveryFieldAtFault() {
        api.app("acme");
        Api.Resp r = api.post("/api/v1/app/acme/endpoint", "{\"url\":\"ftp://x\",\"uid\":\"bad uid!\",\"throttleRate\":\"fast\"}");
        assertThat(r.status()).isEqualTo(422);
        Set<String> fields = new HashSet<>();
        r.body().path("detail").forEach(d -> {
            assertThat(d.path("loc").get(0).asText()).isEqualTo("body");
            fields.add(d.path("loc").get(1).asText());
            assertThat(d.path("msg").asText()).isNotBlank();
        });
        assertThat(fields).containsExactlyInAnyOrder("url", "uid", "throttleRate");

        Api.Resp missing = api.post("/api/v1/app/acme/msg", "{\"payload\":{}}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body().path("detail").get(0).path("loc").get(1).asText()).isEqualTo("eventType");

        Api.Resp notJson = api.post("/api/v1/app", "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.str("code")).isEqualTo("bad_request");
    }

    @Test
    void errorsHaveCodeAndDetail() {
        Api.Resp notFound = api.get("/api/v1/app/nobody");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.str("code")).isEqualTo("not_found");
        assertThat(notFound.str("detail")).contains("nobody");

        try (Api anonymous = new Api(api.base, null); Api wrong = new Api(api.base, "wrong")) {
            Api.Resp noAuth = anonymous.get("/api/v1/app");
            assertThat(noAuth.status()).isEqualTo(401);
            assertThat(noAuth.str("code")).isEqualTo("authentication_failed");
            assertThat(wrong.get("/api/v1/app").status()).isEqualTo(401);
            assertThat(anonymous.get("/api/v1/health").status()).isEqualTo(204);
        }

        Api.Resp noRoute = api.get("/api/v1/app/acme/nothing-here");
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.str("code")).isEqualTo("not_found");
    }

    @Test
    void oversizedPayloadIs413AndNothingIsStored() {
        api.app("acme");
        String big = "x".repeat(5000);
        Api.Resp r = api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"payload\":{\"big\":\"" + big + "\"}}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.str("code")).isEqualTo("payload_too_large");
        assertThat(api.get("/api/v1/app/acme/msg").body().path("data")).isEmpty();
    }

    @Test
    void idempotencyKeyReplaysTheFirstResponse() {
        api.app("acme");
        Map<String, String> key = Map.of("idempotency-key", "k-1");
        Api.Resp first = api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"payload\":{\"n\":1}}", key);
        Api.Resp second = api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"payload\":{\"n\":1}}", key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.str("id")).isEqualTo(first.str("id"));
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(api.get("/api/v1/app/acme/msg").body().path("data")).hasSize(1);
    }

    /// Requests with one key at once: one publishes, every one is answered with its message
    /// (the key is kept with the message, in its transaction).
    @Test
    void concurrentRequestsWithOneIdempotencyKeyPublishOnce() throws Exception {
        api.app("acme");
        Map<String, String> key = Map.of("idempotency-key", "auto_together");
        List<java.util.concurrent.Future<Api.Resp>> answers = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> api.post("/api/v1/app/acme/msg",
                        "{\"eventType\":\"a\",\"payload\":{\"n\":1}}", key)));
            }
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (var answer : answers) {
            Api.Resp r = answer.get();
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            ids.add(r.str("id"));
        }
        assertThat(ids).hasSize(1);
        assertThat(api.get("/api/v1/app/acme/msg").body().path("data")).hasSize(1);
    }

    /// A request that failed kept nothing under its key: the key may be used again.
    @Test
    void aFailedPublishLeavesItsIdempotencyKeyFree() {
        api.app("acme");
        assertThat(api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"eventId\":\"evt-1\",\"payload\":{}}")
                .status()).isEqualTo(202);
        Map<String, String> key = Map.of("idempotency-key", "k-2");
        assertThat(api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"eventId\":\"evt-1\",\"payload\":{}}", key)
                .status()).isEqualTo(409);
        Api.Resp again = api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"eventId\":\"evt-2\",\"payload\":{}}",
                key);
        assertThat(again.status()).isEqualTo(202);
        assertThat(api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"eventId\":\"evt-3\",\"payload\":{}}", key)
                .str("id")).isEqualTo(again.str("id"));
    }

    @Test
    void messagesByIdOrEventIdAndDuplicateEventIdConflicts() {
        api.app("acme");
        Api.Resp m = api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"eventId\":\"evt-1\",\"payload\":{\"n\":1}}");
        assertThat(api.get("/api/v1/app/acme/msg/evt-1").str("id")).isEqualTo(m.str("id"));
        assertThat(api.post("/api/v1/app/acme/msg", "{\"eventType\":\"a\",\"eventId\":\"evt-1\",\"payload\":{}}").status())
                .isEqualTo(409);
        Api.Resp onTheFly = api.post("/api/v1/app/fresh/msg",
                "{\"eventType\":\"a\",\"payload\":{},\"application\":{\"name\":\"Fresh\"}}");
        assertThat(onTheFly.status()).isEqualTo(202);
        assertThat(api.get("/api/v1/app/fresh").str("name")).isEqualTo("Fresh");
    }

    @Test
    void eventTypesCrudAndArchive() {
        assertThat(api.post("/api/v1/event-type", "{\"name\":\"order.shipped\",\"description\":\"An order left\","
                + "\"schemas\":{\"1\":{\"type\":\"object\"}}}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/event-type", "{\"name\":\"order.shipped\",\"description\":\"x\"}").status()).isEqualTo(409);
        assertThat(api.get("/api/v1/event-type/order.shipped").body().path("schemas").path("1").path("type").asText())
                .isEqualTo("object");
        assertThat(api.patch("/api/v1/event-type/order.shipped", "{\"deprecated\":true}").body().path("deprecated").asBoolean())
                .isTrue();
        assertThat(api.delete("/api/v1/event-type/order.shipped").status()).isEqualTo(204);
        // CSV-X registers its own event types (file.uploaded, job.*, records.batch) itself
        assertThat(api.get("/api/v1/event-type").body().path("data")).extracting(t -> t.path("name").asText())
                .contains("file.uploaded", "job.completed").doesNotContain("order.shipped");
        assertThat(api.get("/api/v1/event-type?include_archived=true").body().path("data"))
                .extracting(t -> t.path("name").asText()).contains("order.shipped");
    }

    @Test
    void endpointHeadersHideSensitiveValuesAndRefuseReservedNames() {
        api.app("acme");
        String ep = api.endpoint("acme", "{\"url\":\"http://127.0.0.1:9/x\",\"uid\":\"main\"}");
        assertThat(api.get("/api/v1/app/acme/endpoint/main").str("id")).isEqualTo(ep);
        assertThat(api.put("/api/v1/app/acme/endpoint/main/headers",
                "{\"headers\":{\"X-A\":\"1\",\"Authorization\":\"Bearer s3cret\"}}").status()).isEqualTo(204);
        JsonNode h = api.get("/api/v1/app/acme/endpoint/main/headers").body();
        assertThat(h.path("headers").path("X-A").asText()).isEqualTo("1");
        assertThat(h.path("headers").has("Authorization")).isFalse();
        assertThat(h.path("sensitive").get(0).asText()).isEqualTo("Authorization");
        assertThat(api.patch("/api/v1/app/acme/endpoint/main/headers", "{\"headers\":{\"X-A\":null,\"X-B\":\"2\"}}").status())
                .isEqualTo(204);
        assertThat(api.get("/api/v1/app/acme/endpoint/main/headers").body().path("headers").has("X-A")).isFalse();
        assertThat(api.put("/api/v1/app/acme/endpoint/main/headers", "{\"headers\":{\"webhook-id\":\"x\"}}").status())
                .isEqualTo(422);
    }

    @Test
    void openApiDocumentListsTheImplementedRoutes() {
        JsonNode doc = api.call(HttpMethod.GET, "/api/v1/openapi.json", null, Map.of()).body();
        assertThat(doc.path("paths").has("/api/v1/app/{app_id}/msg")).isTrue();
        assertThat(doc.path("paths").path("/api/v1/app/{app_id}/msg").path("post").path("operationId").asText())
                .isEqualTo("v1.message.create");
        assertThat(doc.path("paths").path("/api/v1/app/{app_id}/msg/{msg_id}/content").path("delete")
                .path("operationId").asText()).isEqualTo("v1.message.expunge-content");
        assertThat(doc.path("paths").path("/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}").path("get")
                .path("parameters")).extracting(p -> p.path("name").asText()).contains("event_types", "with_msg", "tag");
        assertThat(doc.path("paths").has("/api/v1/auth/logout")).isTrue();
        JsonNode created = doc.path("paths").path("/api/v1/app/{app_id}/msg").path("post").path("responses").path("202");
        assertThat(created.path("content").path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/MessageOut");
        JsonNode attempt = doc.path("components").path("schemas").path("MessageAttemptOut").path("properties");
        assertThat(attempt.path("responseStatusCode").path("type").asText()).isEqualTo("integer");
        assertThat(attempt.path("timestamp").path("format").asText()).isEqualTo("date-time");
        assertThat(doc.path("components").path("schemas").path("ValidationErrorOut").path("properties").path("detail")
                .path("items").path("$ref").asText()).isEqualTo("#/components/schemas/Item");
    }

    @Test
    void overTheApiRateLimitAnswers429WithRetryAfter() {
        try (TestNode limited = TestNode.start(dir.resolve("limited"), c -> c.withApiRateLimit(5))) {
            int tooMany = 0;
            Api.Resp last = null;
            for (int i = 0; i < 20; i++) {
                Api.Resp r = limited.api.get("/api/v1/app");
                if (r.status() == 429) {
                    tooMany++;
                    last = r;
                } else {
                    assertThat(r.status()).isEqualTo(200);
                }
            }
            assertThat(tooMany).isGreaterThan(0);
            assertThat(last.str("code")).isEqualTo("rate_limit_exceeded");
            assertThat(last.headers()).containsKey("retry-after");
        }
    }
}
