package io.csvx.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.job.PipelineService;
import io.csvx.store.Ids;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.tenant.Application;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Definitions are checked before they are kept, and verification secrets never leave.
class SourceServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private Stores stores;
    private SourceService sources;

    @BeforeEach
    void setUp() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        stores.apps().create(new Application("app_1", "acme", "Acme", null, "{}", t0, t0));
        sources = new SourceService(stores.sources(), new PipelineService(stores.pipelines()));
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private static ObjectNode object(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private Source source(String verification, String action) throws Exception {
        return new Source("src_1", "app_1", "gh", "GitHub", object(verification), object(action), null, t0, t0);
    }

    @Test
    void aHiddenSecretSentBackKeepsTheStoredOneAndAnswersNeverShowIt() throws Exception {
        Source created = sources.create(source("{\"type\": \"github\", \"secret\": \"s3cret\"}",
                "{\"type\": \"emit\", \"eventType\": \"github.push\"}"));
        assertThat(SourceService.visibleVerification(created).path("secret").asText()).isEqualTo(SourceService.HIDDEN);
        assertThat(created.verification().path("secret").asText()).isEqualTo("s3cret"); // the copy was hidden

        sources.update(created, source("{\"type\": \"github\", \"secret\": \"[hidden]\"}",
                "{\"type\": \"emit\", \"eventType\": \"github.ping\"}"));
        Source kept = sources.find("app_1", "gh").orElseThrow();
        assertThat(kept.verification().path("secret").asText()).isEqualTo("s3cret");
        assertThat(kept.action().path("eventType").asText()).isEqualTo("github.ping");

        sources.update(kept, source("{\"type\": \"github\", \"secret\": \"n3w\"}",
                "{\"type\": \"emit\", \"eventType\": \"github.ping\"}"));
        assertThat(sources.find("app_1", "gh").orElseThrow().verification().path("secret").asText()).isEqualTo("n3w");
    }

    @Test
    void aDefinitionThatMakesNoSenseIsNotKept() throws Exception {
        assertThatThrownBy(() -> sources.create(source("{\"type\": \"github\"}",
                "{\"type\": \"emit\", \"eventType\": \"x\"}")))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.field()).isEqualTo("verification");
                    assertThat(e.getMessage()).contains("verification.secret");
                });
        assertThatThrownBy(() -> sources.create(source("{\"type\": \"github\", \"secret\": \"s\"}",
                "{\"type\": \"pipeline\", \"pipelineId\": \"pl_nope\"}")))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.field()).isEqualTo("action");
                    assertThat(e.getMessage()).contains("action.pipelineId").contains("no pipeline 'pl_nope'");
                });
        assertThat(sources.find("app_1", "gh")).isEmpty();
    }
}
