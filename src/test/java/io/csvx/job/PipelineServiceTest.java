package io.csvx.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/// The rules of chains, over a real SQLite store.
class PipelineServiceTest {
    @TempDir
    Path dir;

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private Stores stores;
    private PipelineService pipelines;

    @BeforeEach
    void setUp() {
        stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer());
        stores.apps().create(new Application("app_1", "acme", "Acme", null, "{}", t0, t0));
        pipelines = new PipelineService(stores.pipelines());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private PipelineDefinition save(String id, String format, String upstream) throws Exception {
        String definition = "{\"steps\": [{\"trim\": []}]" + (format == null ? "" : ", \"output\": {\"format\": \"" + format
                + "\"}") + "}";
        return pipelines.create(new PipelineDefinition(id, "app_1", id.replace("pl_", ""), id,
                (ObjectNode) new ObjectMapper().readTree(definition),
                upstream == null ? null : PipelineDefinition.JOB_COMPLETED, null, upstream, t0, t0));
    }

    @Test
    void aChainNeedsAnUpstreamOfTheApplicationThatWritesCsv() throws Exception {
        save("pl_csv", "csv", null);
        save("pl_tsv", "tsv", null);
        save("pl_json", "ndjson", null);
        save("pl_default", null, null);
        assertThat(pipelines.upstream("app_1", "pl_new", "pl_csv").id()).isEqualTo("pl_csv");
        assertThat(pipelines.upstream("app_1", "pl_new", "tsv").id()).isEqualTo("pl_tsv"); // by uid too
        assertThatThrownBy(() -> pipelines.upstream("app_1", "pl_new", "pl_json"))
                .hasMessage("pipeline: pl_json writes ndjson; a chained pipeline reads CSV, so its output.format must be"
                        + " csv or tsv");
        assertThatThrownBy(() -> pipelines.upstream("app_1", "pl_new", "pl_default")).hasMessageContaining("writes ndjson");
        assertThatThrownBy(() -> pipelines.upstream("app_1", "pl_new", "pl_nope")).hasMessageContaining("(no 'pl_nope')");
        assertThatThrownBy(() -> pipelines.upstream("app_2", "pl_new", "pl_csv")).hasMessageContaining("(no 'pl_csv')");
    }

    @Test
    void aChainMustNotComeBackToItself() throws Exception {
        save("pl_a", "csv", null);
        save("pl_b", "csv", "pl_a");
        save("pl_c", "csv", "pl_b");
        // a -> b -> c exists; making a run on c's outputs would loop
        assertThatThrownBy(() -> pipelines.upstream("app_1", "pl_a", "pl_c"))
                .hasMessage("pipeline: chaining on pl_c would make a loop");
        assertThatThrownBy(() -> pipelines.upstream("app_1", "pl_a", "pl_a")).hasMessageContaining("loop");
        assertThat(pipelines.upstream("app_1", "pl_d", "pl_c").id()).isEqualTo("pl_c");
    }

    @Test
    void globsMatchWholeNamesAndSayWhatIsWrong() {
        Glob orders = Glob.of("orders-*.csv");
        assertThat(orders.matches("orders-2026-11.csv")).isTrue();
        assertThat(orders.matches("orders-2026-11.csv.bak")).isFalse();
        assertThat(orders.matches("Orders-1.csv")).isFalse(); // case-sensitive
        assertThat(Glob.of("report-?.[ct]sv").matches("report-7.tsv")).isTrue();
        assertThat(Glob.of("report-?.[ct]sv").matches("report-17.csv")).isFalse();
        assertThat(Glob.of("[!x]*").matches("y.csv")).isTrue();
        assertThat(Glob.of("a.b(c)+").matches("a.b(c)+")).isTrue(); // regex characters match themselves
        assertThat(Glob.of("a.b(c)+").matches("aXb(c)")).isFalse();
        assertThatThrownBy(() -> Glob.of("orders-[0-9.csv")).hasMessage("'[' at 8 has no closing ']'");
    }
}
