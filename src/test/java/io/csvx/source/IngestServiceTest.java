package io.csvx.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.config.Config;
import io.csvx.file.FileService;
import io.csvx.job.Fetcher;
import io.csvx.job.JobEvents;
import io.csvx.job.JobRunner;
import io.csvx.job.JobService;
import io.csvx.job.NewVersions;
import io.csvx.job.PipelineService;
import io.csvx.message.Message;
import io.csvx.message.Publisher;
import io.csvx.store.Ids;
import io.csvx.store.PageRequest;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.IdlePublishing;
import io.csvx.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Each way a request to a source can end, as the sealed result says it, over a real SQLite
/// store and real services (the dispatcher and job runner built but not started).
class IngestServiceTest {
    private static final String SECRET = "gh-secret";

    @TempDir
    Path dir;

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final Ids ids = new Ids();
    private Stores stores;
    private IdlePublishing publishing;
    private IngestService ingest;

    @BeforeEach
    void setUp() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        stores.apps().create(new Application("app_1", "acme", "Acme", null, "{}", t0, t0));
        Config config = Config.defaults(dir, 0);
        publishing = new IdlePublishing(stores, ids, config);
        Publisher publisher = publishing.publisher();
        FileService files = new FileService(dir.resolve("files"), stores.files(), ids, publisher, 1 << 20, null);
        JobRunner runner = new JobRunner(stores.jobs(), stores.pipelines(), stores.db(), files, ids, "node_1",
                new JobEvents(publisher, false), new Fetcher(publishing.client(), files, Duration.ofSeconds(1)), NewVersions.NONE, 0,
                config.lease(),
                config.pollInterval(), Clock.systemUTC(), new SimpleMeterRegistry());
        PipelineService pipelines = new PipelineService(stores.pipelines());
        ingest = new IngestService(stores.sources(), pipelines, files,
                new JobService(stores.jobs(), stores.pipelines(), files, ids, runner), publisher, ids, dir.resolve("tmp"),
                4096, 1 << 20, Clock.systemUTC());
        stores.sources().create(new Source("src_gh", "app_1", "github", "GitHub",
                object("{\"type\": \"github\", \"secret\": \"" + SECRET + "\"}"),
                object("{\"type\": \"emit\", \"eventType\": \"github.push\"}"), null, t0, t0));
        stores.sources().create(new Source("src_basic", "app_1", "basic", "Basic",
                object("{\"type\": \"basic\", \"username\": \"u\", \"password\": \"p\"}"),
                object("{\"type\": \"emit\", \"eventType\": \"x\"}"), null, t0, t0));
    }

    @AfterEach
    void tearDown() throws Exception {
        publishing.close();
        stores.close();
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private IngestResult send(String source, String body, Map<String, String> headers) throws IOException {
        return ingest.receive(source, headers, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private IngestResult push(String body, String delivery) throws Exception {
        return send("src_gh", body, Map.of("x-hub-signature-256", sign(body), "x-github-delivery", delivery));
    }

    @Test
    void aVerifiedRequestIsAcceptedOnceAndItsRepeatIsADuplicate() throws Exception {
        String body = "{\"ref\": \"refs/heads/main\"}";
        IngestResult first = push(body, "d-1");
        assertThat(first).isInstanceOfSatisfying(IngestResult.Accepted.class, a -> {
            assertThat(a.outcome().messageId()).startsWith("msg_");
            Message m = stores.messages().find("app_1", a.outcome().messageId()).orElseThrow();
            assertThat(m.eventType()).isEqualTo("github.push");
            assertThat(m.payload()).isEqualTo("{\"ref\":\"refs/heads/main\"}");
            assertThat(stores.sources().request("src_gh", a.requestId()).orElseThrow().status())
                    .isEqualTo(InboundRequest.Status.PROCESSED);
        });
        assertThat(push(body, "d-1")).isInstanceOfSatisfying(IngestResult.Duplicate.class, d ->
                assertThat(stores.sources().request("src_gh", d.requestId()).orElseThrow().status())
                        .isEqualTo(InboundRequest.Status.DUPLICATE));
        assertThat(push(body, "d-2")).isInstanceOf(IngestResult.Accepted.class); // another delivery id
    }

    @Test
    void refusalsSayWhyAndWhatTheSchemeWants() throws Exception {
        assertThat(send("src_nope", "{}", Map.of())).isEqualTo(new IngestResult.UnknownSource("src_nope"));
        assertThat(send("src_gh", "{}", Map.of())).isInstanceOfSatisfying(IngestResult.Refused.class, r ->
                assertThat(r.challenge()).startsWith("Signature"));
        String body = "{\"ref\": \"x\"}";
        assertThat(send("src_gh", body + " ", Map.of("x-hub-signature-256", sign(body))))
                .isEqualTo(new IngestResult.Refused("the signature does not match the body", "Signature realm=\"csvx\""));
        assertThat(send("src_basic", "{}", Map.of())).isInstanceOfSatisfying(IngestResult.Refused.class, r ->
                assertThat(r.challenge()).isEqualTo("Basic realm=\"csvx\""));
        String large = "{\"a\": \"" + "x".repeat(5000) + "\"}";
        assertThat(push(large, "d-9")).isInstanceOf(IngestResult.TooLarge.class);
    }

    @Test
    void aBodyTheActionCannotUseIsStoredAndUnprocessable() throws Exception {
        IngestResult r = push("[1, 2, 3]", "d-3");
        assertThat(r).isInstanceOfSatisfying(IngestResult.Unprocessable.class, u -> {
            assertThat(u.reason()).isEqualTo("the body is not a JSON object");
            InboundRequest logged = stores.sources().request("src_gh", u.requestId()).orElseThrow();
            assertThat(logged.status()).isEqualTo(InboundRequest.Status.FAILED);
            assertThat(logged.body()).isEqualTo("[1, 2, 3]");
        });
    }

    @Test
    void onlyVerifiedRequestsReplay() throws Exception {
        Source gh = stores.sources().find("src_gh").orElseThrow();
        IngestResult.Accepted first = (IngestResult.Accepted) push("{\"n\": 1}", "d-4");
        InboundRequest original = stores.sources().request("src_gh", first.requestId()).orElseThrow();
        assertThat(ingest.replay(gh, original)).isInstanceOfSatisfying(IngestResult.Accepted.class, a ->
                assertThat(a.outcome().messageId()).isNotEqualTo(first.outcome().messageId()));

        send("src_gh", "{}", Map.of("x-hub-signature-256", "sha256=00"));
        InboundRequest refused = stores.sources().requests(gh.id(), new PageRequest(10, null, false))
                .data().stream().filter(q -> !q.verified()).findFirst().orElseThrow();
        assertThat(ingest.replay(gh, refused)).isInstanceOfSatisfying(IngestResult.CannotReplay.class, c ->
                assertThat(c.detail()).contains("was not verified"));
    }

    @Test
    void theHeaderAVerificationReadsIsNeverLoggedWhateverItsName() throws Exception {
        stores.sources().create(new Source("src_key", "app_1", "key", "Key",
                object("{\"type\": \"api-key\", \"header\": \"X-Auth\", \"key\": \"S3cretValue\"}"),
                object("{\"type\": \"emit\", \"eventType\": \"x\"}"), null, t0, t0));
        assertThat(send("src_key", "{}", Map.of("x-auth", "S3cretValue"))).isInstanceOf(IngestResult.Accepted.class);
        assertThat(send("src_key", "{}", Map.of("x-auth", "aGuess"))).isInstanceOf(IngestResult.Refused.class);
        var logged = stores.sources().requests("src_key", new PageRequest(10, null, false)).data();
        assertThat(logged).hasSize(2).allSatisfy(r -> assertThat(r.headers()).containsEntry("x-auth", "[redacted]"));
    }

    @Test
    void aFloodOfBadRequestsIsThrottledKeptSmallAndPrunedWhileGoodOnesPass() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("x-hub-signature-256", "sha256=00");
        for (int i = 0; i < 40; i++) {
            bad.put("x-filler-" + i, "y".repeat(100));
        }
        String bigBody = "{\"pad\": \"" + "z".repeat(3000) + "\"}";
        int refused = 0;
        int throttled = 0;
        for (int i = 0; i < 100; i++) {
            IngestResult r = send("src_gh", bigBody, bad);
            if (r instanceof IngestResult.Refused) {
                refused++;
            } else if (r instanceof IngestResult.Throttled t) {
                throttled++;
                assertThat(t.retryAfterSeconds()).isPositive();
            }
        }
        assertThat(refused + throttled).isEqualTo(100);
        assertThat(refused).isGreaterThanOrEqualTo((int) IngestService.REFUSAL_BURST).isLessThan(100);
        assertThat(throttled).isPositive();
        // a signed request still goes through while the source is throttling refusals
        assertThat(push("{\"ok\": true}", "d-flood")).isInstanceOf(IngestResult.Accepted.class);

        var logged = stores.sources().requests("src_gh", new PageRequest(250, null, false)).data().stream()
                .filter(r -> r.status() == InboundRequest.Status.REJECTED).toList();
        assertThat(logged).hasSize(refused);
        InboundRequest one = logged.getFirst();
        assertThat(one.body()).hasSize(IngestService.REJECTED_BODY);
        assertThat(one.headers()).containsKey("x-csvx-not-kept").hasSizeLessThan(40);
        assertThat(String.join("", one.headers().keySet()).length() + String.join("", one.headers().values()).length())
                .isLessThan(IngestService.REJECTED_HEADERS + 200);

        assertThat(stores.sources().pruneRejected(10, 1000)).isEqualTo(refused - 10);
        assertThat(stores.sources().requests("src_gh", new PageRequest(250, null, false)).data().stream()
                .filter(r -> r.status() == InboundRequest.Status.REJECTED)).hasSize(10);
        assertThat(stores.sources().requests("src_gh", new PageRequest(250, null, false)).data().stream()
                .filter(r -> r.status() == InboundRequest.Status.PROCESSED)).hasSize(1);
    }
}
