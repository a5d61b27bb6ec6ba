package io.csvx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {
    @Test
    void aConditionNamesItsFieldsAndTestsTheirValues() {
        Condition c = Condition.compile("data.rows > 1000 and data.name startsWith \"orders-\" or `/type` = 'forced'");
        assertThat(c.fields()).containsExactly("data.rows", "data.name", "/type");
        assertThat(c.test(Map.of("data.rows", "1200", "data.name", "orders-7.csv")::get)).isTrue();
        assertThat(c.test(Map.of("data.rows", "999", "data.name", "orders-7.csv")::get)).isFalse();
        assertThat(c.test(Map.of("data.rows", "5000", "data.name", "users.csv")::get)).isFalse();
        assertThat(c.test(Map.of("/type", "forced")::get)).isTrue(); // absent fields are empty
        assertThat(Condition.compile("note is empty").test(Map.<String, String>of()::get)).isTrue();
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
