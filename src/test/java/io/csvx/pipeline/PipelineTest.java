package io.csvx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static final List<String> HEADER = List.of("id", "email", "amount", "status");

    static Outcome run(Pipeline.Run run, String... row) {
        return run.apply(row.clone());
    }

    @Test
    void stepsReshapeFilterDedupeAndValidate() {
        Pipeline p = Pipeline.parse("""
                {"steps": [
                  {"drop": ["status"]},
                  {"rename": {"email": "mail"}},
                  {"trim": ["mail"]},
                  {"normalize": {"mail": "lower"}},
                  {"filter": "amount > 0"},
                  {"dedupe": ["id"]},
                  {"validate": {"mail": {"type": "email", "required": true},
                                "amount": {"type": "decimal", "max": 1000},
                                "id": {"type": "integer", "pattern": "[0-9]{1,3}"}}},
                  {"select": ["id", "mail"]}
                ], "output": {"format": "ndjson"}}""");
        assertThat(p.outputFormat()).isEqualTo("ndjson");
        Pipeline.Run run = p.bind(HEADER);
        assertThat(run.header()).containsExactly("id", "mail");
        assertThat(run(run, "1", "  Ann@Example.COM ", "10", "x")).isInstanceOfSatisfying(Outcome.Keep.class,
                k -> assertThat(k.row()).containsExactly("1", "ann@example.com"));
        assertThat(run(run, "1", "dup@example.com", "10", "x")).isInstanceOf(Outcome.Skip.class);
        assertThat(run(run, "2", "b@example.com", "0", "x")).isInstanceOf(Outcome.Skip.class);
        assertThat(run(run, "3", "not-an-email", "5000", "x")).isInstanceOfSatisfying(Outcome.Reject.class,
                r -> assertThat(r.reason()).isEqualTo(
                        "mail: 'not-an-email' is not an email address; amount: '5000' is above the maximum 1000"));
        assertThat(run(run, "1234", "c@example.com", "5", "x")).isInstanceOfSatisfying(Outcome.Reject.class,
                r -> assertThat(r.reason()).contains("does not match"));
    }

    @Test
    void validationTypes() {
        Pipeline.Run run = Pipeline.parse("""
                {"steps": [{"validate": {"id": {"type": "enum", "values": ["a", "b"]}, "email": {"type": "date"},
                  "amount": {"type": "boolean"}, "status": {"type": "string", "min": 2, "max": 3, "required": true}}}]}""")
                .bind(HEADER);
        assertThat(run(run, "a", "2026-02-28", "TRUE", "ok")).isInstanceOf(Outcome.Keep.class);
        assertThat(run(run, "c", "2026-02-30", "yes", "")).isInstanceOfSatisfying(Outcome.Reject.class,
                r -> assertThat(r.reason()).contains("'c' is not one of [a, b]").contains("is not a date")
                        .contains("'yes' is not true or false").contains("status: is required"));
        assertThat(run(run, "a", "", "", "long")).isInstanceOfSatisfying(Outcome.Reject.class,
                r -> assertThat(r.reason()).isEqualTo("status: length of 'long' is above the maximum 3"));
    }

    @Test
    void invalidDefinitionsNameTheStepAndField() {
        assertThatThrownBy(() -> Pipeline.parse("{nope")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Pipeline.parse("{}")).hasMessageContaining("steps: required");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"explode\": 1}]}"))
                .hasMessageContaining("steps[0] (explode): unknown step kind");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"select\": \"id\"}]}"))
                .hasMessageContaining("steps[0] (select): a list of column names");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"trim\": []}, {\"normalize\": {\"id\": \"title\"}}]}"))
                .hasMessageContaining("steps[1] (normalize).id: 'title' is not lower, upper or collapse");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"validate\": {\"id\": {\"type\": \"enum\"}}}]}"))
                .hasMessageContaining("steps[0] (validate).id.values");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"validate\": {\"id\": {\"min\": \"one\"}}}]}"))
                .hasMessageContaining("steps[0] (validate).id.min: must be a number");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [], \"output\": {\"format\": \"yaml\"}}"))
                .hasMessageContaining("output.format");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"drop\": [\"id\"]}, {\"dedupe\": [\"id\"]}]}").bind(HEADER))
                .hasMessageContaining("steps[1] (dedupe): unknown column 'id'");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"rename\": {\"id\": \"email\"}}]}").bind(HEADER))
                .hasMessageContaining("two columns the same name");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"sort\": [\"id\"]}, {\"trim\": []}]}"))
                .hasMessageContaining("steps[0] (sort): sort must be the last step");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"split\": 10}, {\"trim\": []}]}"))
                .hasMessageContaining("steps[0] (split): split must be the last step");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"split\": 0}]}"))
                .hasMessageContaining("steps[0] (split): rows per chunk");
        assertThat(Pipeline.parse("{\"steps\": [{\"sort\": [\"id\"]}, {\"split\": 10}]}").split()).isEqualTo(10);
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"sort\": [{\"column\": \"id\", \"order\": \"up\"}]}]}"))
                .hasMessageContaining("steps[0] (sort).order: 'up' is not asc or desc");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"drop\": [\"id\"]}, {\"sort\": [\"id\"]}]}").bind(HEADER))
                .hasMessageContaining("sort: unknown column 'id'");
    }
}
