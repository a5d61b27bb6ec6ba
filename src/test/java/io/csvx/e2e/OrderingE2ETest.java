package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Per-key ordered delivery through the API: messages of 100 keys to an endpoint that refuses one
/// first attempt in five. With the endpoint's ordering on, no key's message arrives before the
/// one before it was acknowledged; with it off, the same traffic arrives out of order (so the
/// check can fail). Runs on SQLite and, in the PostgreSQL execution, on PostgreSQL; the crash of
/// a node on shared PostgreSQL is [MultiNodeOrderingE2ETest].
class OrderingE2ETest {
    @TempDir
    Path dir;

    @Test
    void anOrderedEndpointGetsEachKeyInPublishOrderThroughRetries() throws Exception {
        int keys = 100;
        int perKey = 100;
        try (OrderReceiver receiver = new OrderReceiver(); TestNode node = TestNode.start(dir)) {
            String app = node.api.app("acme");
            String ep = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/o") + "\",\"ordering\":\"block\"}");
            assertThat(node.api.get("/api/v1/app/" + app + "/endpoint/" + ep).str("ordering")).isEqualTo("block");
            publish(node.api, app, keys, perKey);

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .until(() -> receiver.allAcked(keys, perKey));
            System.out.printf("ordering: %d messages over %d keys in order; %d first attempts refused, %d repeats%n",
                    receiver.inSequence(), keys, receiver.refused.sum(), receiver.repeats.sum());
            assertThat(receiver.outOfOrder.sum()).as("messages that came before the one ahead of them was acknowledged")
                    .isZero();
            assertThat(receiver.refused.sum()).as("the retries the order had to survive").isGreaterThan(keys * perKey / 10);
        }
    }

    @Test
    void withOrderingOffTheSameTrafficArrivesOutOfOrder() throws Exception {
        int keys = 20;
        int perKey = 100;
        try (OrderReceiver receiver = new OrderReceiver(); TestNode node = TestNode.start(dir)) {
            String app = node.api.app("acme");
            node.api.endpoint(app, "{\"url\":\"" + receiver.url("/o") + "\"}");
            publish(node.api, app, keys, perKey);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> receiver.delivered.size() == keys * perKey);
            assertThat(receiver.outOfOrder.sum()).isPositive();
        }
    }

    @Test
    void blockHoldsAKeyUntilItsFailedMessageIsResentAndSkipMovesOn() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            // both endpoints refuse their first four requests: one attempt and three retries, failed for good
            receiver.answer((path, n) -> Receiver.Answer.of(n <= 4 ? 500 : 204));
            String app = node.api.app("acme");
            String block = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/block") + "\",\"ordering\":\"block\"}");
            String skip = node.api.endpoint(app, "{\"url\":\"" + receiver.url("/skip") + "\",\"ordering\":\"skip\"}");
            List<String> ids = new java.util.ArrayList<>();
            for (int n = 0; n < 3; n++) {
                ids.add(publishKeyed(node.api, app, "x", n));
            }
            // the two endpoints retry on their own: wait for both to be through their attempts
            await().atMost(Duration.ofSeconds(20)).until(() -> numbers(receiver, "/skip").size() == 6
                    && numbers(receiver, "/block").size() >= 4);
            assertThat(numbers(receiver, "/skip")).containsExactly(0, 0, 0, 0, 1, 2);
            assertThat(numbers(receiver, "/block")).containsExactly(0, 0, 0, 0);
            // held: a message published now waits too, pending with no next attempt
            ids.add(publishKeyed(node.api, app, "x", 3));
            Api.Resp held = node.api.get("/api/v1/app/" + app + "/endpoint/" + block + "/msg?status=1");
            assertThat(held.body().path("data")).hasSize(3)
                    .allSatisfy(m -> assertThat(m.path("nextAttempt").isNull()).isTrue());
            Thread.sleep(500);
            assertThat(numbers(receiver, "/block")).containsExactly(0, 0, 0, 0);

            // resending the failed message lets it through first, then the rest in order
            assertThat(node.api.post("/api/v1/app/" + app + "/msg/" + ids.getFirst() + "/endpoint/" + block + "/resend",
                    "{}").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> numbers(receiver, "/block").size() == 8);
            assertThat(numbers(receiver, "/block")).containsExactly(0, 0, 0, 0, 0, 1, 2, 3);
            assertThat(node.api.get("/api/v1/app/" + app + "/endpoint/" + skip).str("ordering")).isEqualTo("skip");
        }
    }

    @Test
    void orderingSettingsAndKeysAreCheckedAndAnsweredBack() {
        try (TestNode node = TestNode.start(dir)) {
            String app = node.api.app("acme");
            Api.Resp bad = node.api.post("/api/v1/app/" + app + "/endpoint",
                    "{\"url\":\"http://127.0.0.1:9/x\",\"ordering\":\"strict\"}");
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.text()).contains("ordering").contains("must be one of off, block, skip");
            String ep = node.api.endpoint(app, "{\"url\":\"http://127.0.0.1:9/x\"}");
            assertThat(node.api.get("/api/v1/app/" + app + "/endpoint/" + ep).str("ordering")).isEqualTo("off");
            assertThat(node.api.patch("/api/v1/app/" + app + "/endpoint/" + ep, "{\"ordering\":\"skip\"}").str("ordering"))
                    .isEqualTo("skip");
            assertThat(node.api.patch("/api/v1/app/" + app + "/endpoint/" + ep, "{\"description\":\"d\"}").str("ordering"))
                    .as("a patch without it keeps it").isEqualTo("skip");

            String msg = "{\"eventType\":\"a\",\"payload\":{},";
            Api.Resp control = node.api.post("/api/v1/app/" + app + "/msg", msg + "\"orderingKey\":\"a\\nb\"}");
            assertThat(control.status()).isEqualTo(422);
            assertThat(control.text()).contains("orderingKey").contains("control characters");
            Api.Resp tooLong = node.api.post("/api/v1/app/" + app + "/msg", msg + "\"orderingKey\":\"" + "k".repeat(257) + "\"}");
            assertThat(tooLong.status()).isEqualTo(422);
            Api.Resp differ = node.api.post("/api/v1/app/" + app + "/msg",
                    msg + "\"orderingKey\":\"a\",\"transformationsParams\":{\"orderingKey\":\"b\"}}");
            assertThat(differ.status()).isEqualTo(422);
            assertThat(differ.text()).contains("transformationsParams");
            Api.Resp ok = node.api.post("/api/v1/app/" + app + "/msg", msg + "\"orderingKey\":\"customer-42\"}");
            assertThat(ok.status()).isEqualTo(202);
            assertThat(node.api.get("/api/v1/app/" + app + "/msg/" + ok.str("id")).str("orderingKey")).isEqualTo("customer-42");
        }
    }

    @Test
    void aJobsEventsArriveInTheOrderTheyHappenedAtAnOrderedEndpoint() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            receiver.answer((path, n) -> Receiver.Answer.of(n == 1 ? 500 : 204)); // job.started, the first time
            Api api = node.api;
            api.app("acme");
            api.endpoint("acme", "{\"url\":\"" + receiver.url("/jobs") + "\",\"ordering\":\"skip\","
                    + "\"filterTypes\":[\"job.started\",\"records.batch\",\"job.completed\"]}");
            assertThat(api.post("/api/v1/app/acme/pipeline", """
                    {"name": "orders", "steps": [{"trim": []}], "output": {"format": "ndjson", "deliver": {"batchSize": 1}},
                     "trigger": "orders-*.csv"}""").status()).isEqualTo(201);
            assertThat(api.call(org.eclipse.jetty.http.HttpMethod.POST, "/api/v1/app/acme/file?name=orders-1.csv",
                    "id\n1\n2\n3\n", java.util.Map.of()).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.hits("/jobs").size() == 6);
            List<String> seen = new java.util.ArrayList<>();
            for (Receiver.Hit h : receiver.hits("/jobs")) {
                var event = Api.JSON.readTree(h.body());
                seen.add(event.path("type").asText() + (event.path("type").asText().equals("records.batch")
                        ? " " + event.path("data").path("batch").asInt() : ""));
            }
            assertThat(seen).containsExactly("job.started", "job.started", "records.batch 1", "records.batch 2",
                    "records.batch 3", "job.completed");
            String jobId = Api.JSON.readTree(receiver.hits("/jobs").getLast().body()).path("data").path("job").path("id")
                    .asText();
            assertThat(api.get("/api/v1/app/acme/msg?event_types=job.completed").body().path("data").get(0)
                    .path("orderingKey").asText()).isEqualTo(jobId);
        }
    }

    @Test
    void byFileEveryEventOfAFileSharesItsKey() throws Exception {
        try (TestNode node = TestNode.start(dir, c -> c.withOrderEventsByFile(true))) {
            Api api = node.api;
            api.app("acme");
            assertThat(api.post("/api/v1/app/acme/pipeline", """
                    {"name": "orders", "steps": [{"trim": []}], "output": {"format": "ndjson", "deliver": {"batchSize": 1}},
                     "trigger": "orders-*.csv"}""").status()).isEqualTo(201);
            Api.Resp up = api.call(org.eclipse.jetty.http.HttpMethod.POST, "/api/v1/app/acme/file?name=orders-1.csv",
                    "id\n1\n2\n", java.util.Map.of());
            String fileId = up.str("id");
            await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/app/acme/msg?event_types=job.completed")
                    .body().path("data").size() == 1);
            var messages = api.get("/api/v1/app/acme/msg").body().path("data");
            List<String> types = new java.util.ArrayList<>();
            for (var m : messages) {
                types.add(m.path("eventType").asText());
                assertThat(m.path("orderingKey").asText()).as(m.path("eventType").asText()).isEqualTo(fileId);
            }
            assertThat(types).contains("file.uploaded", "job.started", "records.batch", "job.completed");
        }
    }

    /// Publishes message `n` of `key` with `{"key", "n"}` as its payload; answers its id.
    private static String publishKeyed(Api api, String app, String key, int n) {
        Api.Resp r = api.post("/api/v1/app/" + app + "/msg", "{\"eventType\":\"order.updated\",\"orderingKey\":\""
                + key + "\",\"payload\":{\"key\":\"" + key + "\",\"n\":" + n + "}}");
        assertThat(r.status()).isEqualTo(202);
        return r.str("id");
    }

    /// The `n` of each request `path` received, in the order they came.
    private static List<Integer> numbers(Receiver receiver, String path) {
        return receiver.hits(path).stream().map(h -> {
            try {
                return Api.JSON.readTree(h.body()).path("n").asInt();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /// Publishes `perKey` messages for each of `keys` keys: each key's in sequence, the keys at
    /// once. Half of them name their key as Svix SDKs can, in `transformationsParams`.
    static void publish(Api api, String app, int keys, int perKey) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < keys; k++) {
                String key = "k" + k;
                boolean viaSdkField = k % 2 == 1;
                pool.execute(() -> {
                    for (int n = 0; n < perKey; n++) {
                        String where = viaSdkField ? "\"transformationsParams\":{\"orderingKey\":\"" + key + "\"}"
                                : "\"orderingKey\":\"" + key + "\"";
                        Api.Resp r = api.post("/api/v1/app/" + app + "/msg", "{\"eventType\":\"order.updated\","
                                + where + ",\"payload\":{\"key\":\"" + key + "\",\"n\":" + n + "}}");
                        if (r.status() != 202 || !key.equals(r.str("orderingKey"))) {
                            throw new IllegalStateException("publish: " + r.status() + " " + r.text());
                        }
                    }
                });
            }
        }
    }
}
