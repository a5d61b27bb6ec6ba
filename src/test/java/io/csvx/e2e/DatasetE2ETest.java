package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.csvx.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// A dataset remembers its versions: each new upload is compared with the one before by key, and
/// a significant change reaches a receiver as a signed `dataset.changed` and as a chat sentence.
class DatasetE2ETest {
    private static final String V1 = """
            order_id,customer,amount,status
            1,ann,10.00,paid
            2,bob,20.00,paid
            3,cid,30.00,open
            4,dan,40.00,open
            5,eve,50.00,paid
            6,fay,60.00,open
            """;
    // shuffled, columns reordered, a quoted field: 2 removed, 7 and 8 added, 3 (amount, status) and 5 changed
    private static final String V2 = """
            status,order_id,amount,customer
            open,8,80.00,"hal, jr"
            paid,5,55.00,eve
            paid,1,10.00,ann
            open,7,70.00,gus
            paid,3,33.00,cid
            open,4,40.00,dan
            open,6,60.00,fay
            """;

    @TempDir
    Path dir;

    @Test
    void aNewVersionIsComparedAndASignificantChangeIsPublishedSignedAndAsASentence() throws Exception {
        try (Receiver receiver = new Receiver(); TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            String ep = api.endpoint("acme", "{\"url\":\"" + receiver.url("/hook") + "\",\"filterTypes\":[\"dataset.changed\"]}");
            api.endpoint("acme", "{\"url\":\"" + receiver.url("/chat") + "\",\"filterTypes\":[\"dataset.changed\"],"
                    + "\"format\":{\"type\":\"slack\"}}");
            Api.Resp created = api.post("/api/v1/app/acme/dataset", """
                    {"name": "orders", "uid": "orders", "key": ["order_id"], "match": "orders-*.csv",
                     "notify": {"minChangedRows": 2}}""");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            assertThat(created.body().path("notify").toString()).isEqualTo("{\"minChangedRows\":2}");
            assertThat(created.str("diffFormat")).isEqualTo("csv");

            String v1 = upload(api, "orders-2026-11-30.csv", V1, "");
            String v2 = upload(api, "orders-2026-12-01.csv", V2, "");
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.hits("/hook").size() == 1);
            Receiver.Hit hit = receiver.hits("/hook").getFirst();
            String secret = api.get("/api/v1/app/acme/endpoint/" + ep + "/secret").str("key");
            assertThatCode(() -> new Webhook(secret).verify(hit.body(), DeliveryE2ETest.headersOf(hit)))
                    .doesNotThrowAnyException();
            JsonNode event = Api.JSON.readTree(hit.body());
            assertThat(event.path("type").asText()).isEqualTo("dataset.changed");
            JsonNode data = event.path("data");
            Map<String, Long> expected = independentDiff(V1, V2);
            assertThat(data.path("added").asLong()).isEqualTo(expected.get("added")).isEqualTo(2);
            assertThat(data.path("removed").asLong()).isEqualTo(expected.get("removed")).isEqualTo(1);
            assertThat(data.path("changed").asLong()).isEqualTo(expected.get("changed")).isEqualTo(2);
            assertThat(data.path("unchanged").asLong()).isEqualTo(expected.get("unchanged")).isEqualTo(3);
            assertThat(data.path("changedByColumn").toString()).isEqualTo("{\"customer\":0,\"amount\":2,\"status\":1}");
            assertThat(data.path("dataset").path("uid").asText()).isEqualTo("orders");
            assertThat(data.path("from").path("fileId").asText()).isEqualTo(v1);
            assertThat(data.path("to").path("fileId").asText()).isEqualTo(v2);
            assertThat(data.path("to").path("version").asInt()).isEqualTo(2);
            assertThat(data.path("rule").asText()).isEqualTo("changedRows >= 2");
            assertThat(data.path("first")).hasSize(5);
            assertThat(data.path("first").get(0).toString())
                    .isEqualTo("{\"key\":{\"order_id\":\"2\"},\"change\":\"removed\"}");
            String since = LocalDate.now(ZoneOffset.UTC).toString();
            String sentence = "orders: 2 added, 1 removed, 2 changed (amount 2, status 1), 3 unchanged since " + since;
            assertThat(data.path("sentence").asText()).isEqualTo(sentence);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.hits("/chat").size() == 1);
            assertThat(Api.JSON.readTree(receiver.hits("/chat").getFirst().body()).path("text").asText()).isEqualTo(sentence);

            // the API answers the same diff, and its file is what `csvx diff` writes, byte for byte
            Api.Resp diff = api.get("/api/v1/app/acme/dataset/orders/diff");
            assertThat(diff.status()).as(diff.text()).isEqualTo(200);
            assertThat(diff.body().path("from").asInt()).isEqualTo(1);
            assertThat(diff.body().path("significant").asBoolean()).isTrue();
            assertThat(diff.body().path("summary").path("changed").asLong()).isEqualTo(2);
            String file = diff.body().path("diffFileId").asText();
            assertThat(file).isEqualTo(data.path("diffFileId").asText());
            assertThat(api.get(diff.body().path("diffUrl").asText()).text()).isEqualTo(offlineDiff(V1, V2));
            assertThat(api.get("/api/v1/app/acme/file/" + file).str("name")).isEqualTo("orders-v1-v2.diff.csv");

            // a small change lands in the history without an event
            String v3Text = V2.replace("open,4,40.00,dan", "paid,4,40.00,dan");
            upload(api, "orders-2026-12-02.csv", v3Text, "");
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/app/acme/dataset/orders/history")
                    .body().path("data").size() == 2);
            JsonNode latest = api.get("/api/v1/app/acme/dataset/orders/history").body().path("data").get(0);
            assertThat(latest.path("to").asInt()).isEqualTo(3);
            assertThat(latest.path("significant").asBoolean()).isFalse();
            assertThat(latest.path("summary").path("changedByColumn").path("status").asLong()).isEqualTo(1);
            JsonNode versions = api.get("/api/v1/app/acme/dataset/orders/version").body().path("data");
            assertThat(versions).hasSize(3);
            assertThat(versions.get(0).path("fileId").asText()).isEqualTo(v1);
            assertThat(versions.get(0).path("rows").asLong()).isEqualTo(6);

            // any two versions on request
            Api.Resp compare = api.post("/api/v1/app/acme/dataset/orders/diff", "{\"from\": 1, \"to\": 3}");
            assertThat(compare.status()).as(compare.text()).isEqualTo(202);
            assertThat(compare.str("datasetId")).isEqualTo(created.str("id"));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    api.get("/api/v1/app/acme/dataset/orders/diff?from=1&to=3").status() == 200);
            JsonNode oneToThree = api.get("/api/v1/app/acme/dataset/orders/diff?from=1&to=3").body();
            assertThat(oneToThree.path("summary").path("changed").asLong()).isEqualTo(3);
            assertThat(oneToThree.path("significant").asBoolean()).isFalse(); // asked for: never announced
            Thread.sleep(300);
            assertThat(receiver.hits("/hook")).hasSize(1);

            // the console shows the history with its sentences, the rule that published and the files
            try (Api browser = new Api(node.api.base, null)) {
                String setCookie = browser.form("/login", "token=" + TestNode.TOKEN, Map.of()).headers().get("set-cookie");
                Map<String, String> session = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
                String app = api.get("/api/v1/app/acme").str("id");
                String list = browser.call(HttpMethod.GET, "/apps/" + app + "/datasets", null, session).text();
                assertThat(list).contains("orders").contains("uploads named <code>orders-*.csv</code>")
                        .contains("v1 → v3: 2 added, 1 removed, 3 changed (amount 2, status 2), 2 unchanged");
                Api.Resp page = browser.call(HttpMethod.GET, "/apps/" + app + "/datasets/" + created.str("id"), null,
                        session);
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.text()).contains("2 added, 1 removed, 2 changed (amount 2, status 1), 3 unchanged")
                        .contains("dataset.changed (<code>changedRows &gt;= 2</code>)")
                        .contains("/files/" + file + "/content").contains(v1);
                assertThat(browser.call(HttpMethod.GET, "/apps/" + app + "/datasets/nope", null, session).status())
                        .isEqualTo(404);
            }

            // a version with a key on two rows: the diff fails naming the version and the lines
            upload(api, "latest.csv", "order_id,customer,amount,status\n1,ann,10.00,paid\n1,ann,11.00,paid\n",
                    "&dataset=orders");
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/app/acme/dataset/orders/history")
                    .body().path("data").size() == 4);
            JsonNode failed = api.get("/api/v1/app/acme/dataset/orders/history").body().path("data").get(0);
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("error").asText()).startsWith("version 4 (latest.csv").contains("line");
        }
    }

    @Test
    void aDatasetTakesUploadsOrOnePipelinesOutputsNeverBoth() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            api.post("/api/v1/app/acme/pipeline", """
                    {"name": "clean", "uid": "clean", "trigger": "orders-*.csv",
                     "steps": [{"filter": "status != \\"open\\""}], "output": {"format": "csv"}}""");
            api.post("/api/v1/app/acme/dataset", """
                    {"name": "raw", "uid": "raw", "key": ["order_id"], "match": "orders-*.csv"}""");
            Api.Resp cleaned = api.post("/api/v1/app/acme/dataset", """
                    {"name": "cleaned", "uid": "cleaned", "key": ["order_id"], "pipeline": "clean"}""");
            assertThat(cleaned.status()).as(cleaned.text()).isEqualTo(201);
            assertThat(cleaned.str("pipeline")).startsWith("pl_");

            String v1 = upload(api, "orders-1.csv", V1, "");
            JobE2ETest.awaitJob(api, v1, "completed");
            String v2 = upload(api, "orders-2.csv", V2, "");
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/app/acme/dataset/raw/history")
                    .body().path("data").size() == 1 && api.get("/api/v1/app/acme/dataset/cleaned/history")
                    .body().path("data").size() == 1);
            // the raw dataset has the two uploads, the cleaned one the two outputs (open orders filtered out)
            JsonNode raw = api.get("/api/v1/app/acme/dataset/raw/version").body().path("data");
            assertThat(raw).hasSize(2);
            assertThat(raw.get(1).path("fileId").asText()).isEqualTo(v2);
            JsonNode clean = api.get("/api/v1/app/acme/dataset/cleaned/version").body().path("data");
            assertThat(clean).hasSize(2);
            assertThat(clean.get(0).path("rows").asLong()).isEqualTo(3);
            JsonNode diff = api.get("/api/v1/app/acme/dataset/cleaned/diff").body().path("summary");
            // paid orders: 1, 2, 5 then 1, 3, 5; 3 appears (paid now), 2 goes, 5's amount changed
            assertThat(diff.path("sentence").asText()).isEqualTo("1 added, 1 removed, 1 changed (amount 1), 1 unchanged");
        }
    }

    @Test
    void badDefinitionsAndUnknownDatasetsAreRefusedNamingTheField() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            Api api = node.api;
            api.app("acme");
            Api.Resp noKey = api.post("/api/v1/app/acme/dataset", "{\"name\": \"orders\"}");
            assertThat(noKey.status()).isEqualTo(422);
            assertThat(noKey.body().path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"key\"]");
            Api.Resp twice = api.post("/api/v1/app/acme/dataset", "{\"name\": \"o\", \"key\": [\"id\", \"id\"]}");
            assertThat(twice.status()).isEqualTo(422);
            assertThat(twice.body().path("detail").get(0).path("msg").asText()).contains("'id' is named twice");
            Api.Resp rule = api.post("/api/v1/app/acme/dataset", "{\"name\": \"o\", \"key\": [\"id\"],"
                    + " \"notify\": {\"when\": \"added > 1 or price > 3\"}}");
            assertThat(rule.status()).isEqualTo(422);
            assertThat(rule.body().path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"notify\"]");
            assertThat(rule.body().path("detail").get(0).path("msg").asText()).contains("'price' is not a figure");
            Api.Resp unknown = api.post("/api/v1/app/acme/dataset", "{\"name\": \"o\", \"key\": [\"id\"],"
                    + " \"notify\": {\"percent\": 5}}");
            assertThat(unknown.status()).isEqualTo(422);
            assertThat(unknown.body().path("detail").get(0).path("msg").asText()).contains("unknown field 'percent'");
            Api.Resp pipeline = api.post("/api/v1/app/acme/dataset", "{\"name\": \"o\", \"key\": [\"id\"],"
                    + " \"pipeline\": \"nope\"}");
            assertThat(pipeline.status()).isEqualTo(422);
            assertThat(pipeline.body().path("detail").get(0).path("msg").asText()).contains("no pipeline 'nope'");
            Api.Resp format = api.post("/api/v1/app/acme/dataset", "{\"name\": \"o\", \"key\": [\"id\"],"
                    + " \"diffFormat\": \"xml\"}");
            assertThat(format.status()).isEqualTo(422);
            assertThat(format.body().path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"diffFormat\"]");
            Api.Resp upload = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=a.csv&dataset=nope", "id\n1\n", Map.of());
            assertThat(upload.status()).isEqualTo(422);
            assertThat(upload.body().path("detail").get(0).path("msg").asText()).contains("no dataset 'nope'");
            assertThat(api.get("/api/v1/app/acme/file").body().path("data")).isEmpty(); // nothing stored

            Api.Resp saved = api.post("/api/v1/app/acme/dataset", "{\"name\": \"o\", \"uid\": \"o\", \"key\": [\"id\"]}");
            // the API document names the fields as the answers do
            JsonNode schema = api.call(HttpMethod.GET, "/api/v1/openapi.json", null, Map.of()).body()
                    .path("components").path("schemas").path("DatasetOut").path("properties");
            List<String> fields = new java.util.ArrayList<>();
            schema.fieldNames().forEachRemaining(fields::add);
            List<String> answered = new java.util.ArrayList<>();
            saved.body().fieldNames().forEachRemaining(answered::add);
            assertThat(fields).containsExactlyElementsOf(answered).contains("notify");
            Api.Resp none = api.get("/api/v1/app/acme/dataset/o/diff");
            assertThat(none.status()).isEqualTo(404);
            Api.Resp zero = api.get("/api/v1/app/acme/dataset/o/diff?to=0");
            assertThat(zero.status()).isEqualTo(422);
            assertThat(zero.body().path("detail").get(0).path("loc").toString()).isEqualTo("[\"query\",\"to\"]");
            Api.Resp missing = api.post("/api/v1/app/acme/dataset/o/diff", "{\"from\": 1, \"to\": 2}");
            assertThat(missing.status()).isEqualTo(422);
            assertThat(missing.body().path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"from\"]");
        }
    }

    private static String upload(Api api, String name, String csv, String query) {
        Api.Resp r = api.call(HttpMethod.POST, "/api/v1/app/acme/file?name=" + name + query, csv, Map.of());
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.str("id");
    }

    /// The counts by plain maps of key to row, independently of CsvDiff.
    private static Map<String, Long> independentDiff(String before, String after) {
        Map<String, Map<String, String>> a = rows(before);
        Map<String, Map<String, String>> b = rows(after);
        long added = b.keySet().stream().filter(k -> !a.containsKey(k)).count();
        long removed = a.keySet().stream().filter(k -> !b.containsKey(k)).count();
        long changed = a.keySet().stream().filter(k -> b.containsKey(k) && !a.get(k).equals(b.get(k))).count();
        long same = a.keySet().stream().filter(k -> b.containsKey(k) && a.get(k).equals(b.get(k))).count();
        return Map.of("added", added, "removed", removed, "changed", changed, "unchanged", same);
    }

    private static Map<String, Map<String, String>> rows(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.getFirst().split(","));
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            // the one quoted field in these files holds a comma: split outside quotes
            List<String> fields = List.of(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)"));
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), fields.get(i).replace("\"", ""));
            }
            rows.put(row.get("order_id"), row);
        }
        return rows;
    }

    /// What `csvx diff` writes for the two versions.
    private String offlineDiff(String before, String after) throws Exception {
        Path a = Files.writeString(dir.resolve("before.csv"), before);
        Path b = Files.writeString(dir.resolve("after.csv"), after);
        Path out = dir.resolve("changes.csv");
        assertThat(Cli.run(new String[] {"diff", a.toString(), b.toString(), "--key", "order_id", "-o", out.toString()}))
                .isZero();
        return Files.readString(out);
    }
}
