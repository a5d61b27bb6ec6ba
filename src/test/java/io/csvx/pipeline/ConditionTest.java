package io.csvx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConditionTest {
    @Test
    void aConditionNamesItsFieldsAndTestsTheirValues() {
        Condition c = Condition.compile("data.rows > 1000 and data.name startsWith \"orders-\" or `/type` = 'forced'");
        assertThat(c.fields()).containsExactly("data.rows", "data.name", "/type");
        assertThat(c.test(new String[] {"1200", "orders-7.csv", ""})).isTrue();
        assertThat(c.test(new String[] {"999", "orders-7.csv", ""})).isFalse();
        assertThat(c.test(new String[] {"5000", "users.csv", ""})).isFalse();
        assertThat(c.test(new String[] {"", "", "forced"})).isTrue(); // absent fields are empty
        assertThat(Condition.compile("note is empty").test(new String[] {""})).isTrue();
    }

    @Test
    void aMistakeIsNamedWithItsPosition() {
        assertThatThrownBy(() -> Condition.compile("data.rows >")).isInstanceOf(PipelineException.class)
                .hasMessage("expected a column, text or number at position 12 of: data.rows >");
        assertThatThrownBy(() -> Condition.compile("data.rows > 1 and"))
                .hasMessageContaining("at position 18");
        assertThatThrownBy(() -> Condition.compile("name matches \"[\"")).hasMessageContaining("matches");
    }
}
