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

    @Test
    void aDefinitionAsTypedIsCheckedByTheJobsParser() {
        assertThat(PipelineService.definition("{\"steps\": [{\"trim\": []}]}").path("steps").size()).isEqualTo(1);
        assertThatThrownBy(() -> PipelineService.definition("{\"steps\": [{\"trim\": []}, {\"filter\": \"a >\"}]}"))
                .hasMessageStartingWith("steps[1] (filter): ");
        assertThatThrownBy(() -> PipelineService.definition("{\"steps\": [], \"trigger\": \"x\"}"))
                .hasMessage("unknown field 'trigger': a definition has steps, output and alerts");
        assertThat(PipelineService.definition("{\"steps\": [], \"alerts\": [{\"name\": \"a\", \"when\": \"rowsRead = 0\"}]}")
                .path("alerts").size()).isEqualTo(1);
        assertThatThrownBy(() -> PipelineService.definition("{\"steps\": [")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> PipelineService.definition("{\"steps\": []} x")).hasMessageContaining("not valid JSON");
    }

    private DryRun dryRun(String definition, String csv, int sample) throws Exception {
        try (io.csvx.csv.CsvInput in = io.csvx.csv.CsvInput.open(new java.io.ByteArrayInputStream(
                csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)), io.csvx.csv.CsvInput.Options.detect())) {
            return pipelines.dryRun(PipelineService.definition(definition), in, sample);
        }
    }

    @Test
    void aDryRunShowsTheFirstRowsOutAndRejectedWithTheirReasonsAndCounts() throws Exception {
        DryRun r = dryRun("""
                {"steps": [{"filter": "amount > 0"}, {"validate": {"email": {"type": "email"}}},
                           {"select": ["email", "amount"]}, {"sort": [{"column": "amount", "order": "desc"}]}]}""",
                "id,email,amount\n1,a@x.io,5\n2,bad,7\n3,c@x.io,0\n4,d@x.io,9\n5,e@x.io,1\n", 2);
        assertThat(r).isInstanceOfSatisfying(DryRun.Ran.class, ran -> {
            assertThat(ran.header()).containsExactly("email", "amount");
            // sorted over every kept row, then the first two
            assertThat(ran.out()).containsExactly(java.util.List.of("d@x.io", "9"), java.util.List.of("a@x.io", "5"));
            assertThat(ran.read()).isEqualTo(5);
            assertThat(ran.kept()).isEqualTo(3);
            assertThat(ran.skipped()).isEqualTo(1);
            assertThat(ran.rejectedCount()).isEqualTo(1);
            assertThat(ran.more()).isFalse();
            assertThat(ran.rejected()).singleElement().satisfies(x -> {
                assertThat(x.line()).isEqualTo(3);
                assertThat(x.row()).containsExactly("2", "bad", "7");
                assertThat(x.reason()).contains("email");
            });
        });
    }

    @Test
    void aDryRunReadsAtMostItsLimitAndNamesAColumnTheFileLacks() throws Exception {
        StringBuilder csv = new StringBuilder("n\n");
        for (int i = 0; i < PipelineService.DRY_RUN_ROWS + 5; i++) {
            csv.append(i).append('\n');
        }
        DryRun r = dryRun("{\"steps\": []}", csv.toString(), 3);
        assertThat(r).isInstanceOfSatisfying(DryRun.Ran.class, ran -> {
            assertThat(ran.read()).isEqualTo(PipelineService.DRY_RUN_ROWS);
            assertThat(ran.more()).isTrue();
            assertThat(ran.out()).hasSize(3);
        });
        assertThat(dryRun("{\"steps\": [{\"trim\": []}, {\"filter\": \"amout > 1\"}]}", "id,amount\n1,2\n", 3))
                .isInstanceOfSatisfying(DryRun.Failed.class, f ->
                        assertThat(f.problem()).startsWith("steps[1] (filter): unknown column 'amout'"));
    }
}
