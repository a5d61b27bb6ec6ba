package io.csvx.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class NotifyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Notify rule(String json) throws Exception {
        return Notify.parse(JSON.readTree(json));
    }

    // 100 rows before: 3 added, 2 removed, 5 changed, 93 unchanged
    private static final Notify.Counts TEN_PERCENT = new Notify.Counts(3, 2, 5, 93, 0, 0);

    @Test
    void theDefaultFiresOnAnyChangedRowOrColumn() {
        assertThat(Notify.DEFAULT.fired(TEN_PERCENT)).contains("changedRows >= 1");
        assertThat(Notify.DEFAULT.fired(new Notify.Counts(0, 0, 0, 10, 0, 0))).isEmpty();
        assertThat(Notify.DEFAULT.fired(new Notify.Counts(0, 0, 0, 10, 1, 0))).contains("columnsChanged");
        assertThat(Notify.parse(null)).isSameAs(Notify.DEFAULT);
    }

    @Test
    void percentIsOfThePreviousVersionsRows() throws Exception {
        assertThat(TEN_PERCENT.changedRowsPercent()).isEqualByComparingTo("10");
        assertThat(rule("{\"changedRowsPercent\": 10}").fired(TEN_PERCENT)).contains("changedRowsPercent >= 10");
        assertThat(rule("{\"changedRowsPercent\": 10.5}").fired(TEN_PERCENT)).isEmpty();
        // from nothing to something is a 100% change
        assertThat(new Notify.Counts(4, 0, 0, 0, 0, 0).changedRowsPercent()).isEqualByComparingTo("100");
        assertThat(new Notify.Counts(0, 0, 0, 0, 0, 0).changedRowsPercent()).isEqualByComparingTo("0");
    }

    @Test
    void aConditionNamesTheDiffsFigures() throws Exception {
        assertThat(rule("\"added > 2 and removed > 0\"").fired(TEN_PERCENT)).contains("added > 2 and removed > 0");
        assertThat(rule("{\"when\": \"rowsAfter >= 101 or changedRowsPercent > 50\"}").fired(TEN_PERCENT)).contains(
                "rowsAfter >= 101 or changedRowsPercent > 50");
        assertThat(rule("{\"when\": \"changed > 5\"}").fired(TEN_PERCENT)).isEmpty();
        // any rule given fires
        assertThat(rule("{\"minChangedRows\": 1000, \"when\": \"changed = 5\"}").fired(TEN_PERCENT)).contains("changed = 5");
    }

    @Test
    void badRulesSayWhatIsWrong() {
        assertThatThrownBy(() -> rule("{\"when\": \"price > 3\"}")).hasMessageContaining("'price' is not a figure");
        assertThatThrownBy(() -> rule("{\"when\": \"added >\"}")).hasMessageStartingWith("when: ");
        assertThatThrownBy(() -> rule("{\"minChangedRows\": 0}")).hasMessageStartingWith("minChangedRows:");
        assertThatThrownBy(() -> rule("{\"minChangedRows\": 1.5}")).hasMessageStartingWith("minChangedRows:");
        assertThatThrownBy(() -> rule("{\"changedRowsPercent\": 150}")).hasMessageStartingWith("changedRowsPercent:");
        assertThatThrownBy(() -> rule("{\"columnsChanged\": false}")).hasMessageContaining("can never fire");
        assertThatThrownBy(() -> rule("{\"percent\": 5}")).hasMessageContaining("unknown field 'percent'");
        assertThatThrownBy(() -> rule("{}")).hasMessageContaining("changedRowsPercent");
        assertThatThrownBy(() -> rule("5")).hasMessageContaining("changedRowsPercent");
    }

    @Test
    void theStoredFormReadsBackTheSame() throws Exception {
        Notify n = rule("{\"minChangedRows\": 2, \"changedRowsPercent\": 5.0, \"columnsChanged\": true, \"when\": \"added > 1\"}");
        JsonNode stored = n.toJson();
        assertThat(stored.toString())
                .isEqualTo("{\"minChangedRows\":2,\"changedRowsPercent\":5,\"columnsChanged\":true,\"when\":\"added > 1\"}");
        assertThat(Notify.parse(stored).toJson()).isEqualTo(stored);
    }
}
