package io.csvx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionTest {
    private static final List<String> HEADER = List.of("id", "name", "amount", "Order Date", "note");
    private static final String[] ROW = {"7", "Ann Smith", "12.50", "2026-11-26", ""};

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "amount > 10 | true",
            "amount > 100 | false",
            "amount >= 12.5 | true",
            "amount = 12.5 | true",
            "id < 10 | true",
            "id != 7 | false",
            "name = 'Ann Smith' | true",
            "name contains \"Smith\" | true",
            "name startsWith 'Bo' | false",
            "name matches '^A.*h$' | true",
            "note is empty | true",
            "note is not empty | false",
            "`Order Date` >= '2026-01-01' | true",
            "not (amount > 10) | false",
            "amount > 100 or name contains 'Ann' | true",
            "amount > 10 and id > 7 | false",
            "NOT note IS EMPTY OR id = 7 | true",
            "amount > 10 and (id = 1 or id = 7) and not note is not empty | true"})
    void evaluates(String expression, boolean expected) {
        assertThat(Expression.compile(expression, HEADER).test(ROW)).as(expression).isEqualTo(expected);
    }

    @Test
    void errorsSayWhatAndWhere() {
        assertThatThrownBy(() -> Expression.compile("amout > 1", HEADER)).hasMessageContaining("unknown column 'amout'")
                .hasMessageContaining("position 1");
        assertThatThrownBy(() -> Expression.compile("amount >", HEADER)).hasMessageContaining("expected a column");
        assertThatThrownBy(() -> Expression.compile("amount 5", HEADER)).hasMessageContaining("expected an operator");
        assertThatThrownBy(() -> Expression.compile("(amount > 5", HEADER)).hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> Expression.compile("name = 'open", HEADER)).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> Expression.compile("name matches '('", HEADER)).hasMessageContaining("invalid pattern");
        assertThatThrownBy(() -> Expression.compile("amount > 5 id", HEADER)).hasMessageContaining("unexpected 'id'");
        assertThatThrownBy(() -> Expression.compile("note is full", HEADER)).hasMessageContaining("expected 'empty'");
    }
}
