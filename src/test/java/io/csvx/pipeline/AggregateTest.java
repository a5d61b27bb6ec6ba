package io.csvx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csvx.csv.Converter;
import io.csvx.csv.CsvInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateTest {
    private static final String ORDERS = """
            id,region,status,amount,customer,created_at
            1,north,paid,10.50,ann,2026-11-03
            2,south,paid,20,bob,2026-11-01
            3,north,open,5,ann,2026-11-02
            4,north,paid,4.50,cid,2026-11-05
            5,south,paid,abc,dan,2026-11-04
            6,north,paid,,eve,2026-11-06
            7,east,open,7,ann,2026-11-07
            """;

    private record Converted(String out, String rejects, Converter.Result result) {
    }

    private static Converted convert(String csv, String definition) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream rejects = new ByteArrayOutputStream();
        Converter.Result r = Converter.convert(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                CsvInput.Options.detect(), out, Format.CSV, false, Pipeline.parse(definition), rejects);
        return new Converted(out.toString(StandardCharsets.UTF_8), rejects.toString(StandardCharsets.UTF_8), r);
    }

    @Test
    void groupsComeOutInGroupOrderWithEveryMetric() throws IOException {
        Converted c = convert(ORDERS, """
                {"steps": [{"aggregate": {"groupBy": ["region", "status"], "metrics": {"orders": "count()",
                 "revenue": "sum(amount)", "avg_amount": "avg(amount)", "first": "min(created_at)",
                 "biggest": "max(amount)", "customers": "count_distinct(customer)"}}}]}""");
        assertThat(c.out()).isEqualTo("""
                region,status,orders,revenue,avg_amount,first,biggest,customers\r
                east,open,1,7,7,2026-11-07,7,1\r
                north,open,1,5,5,2026-11-02,5,1\r
                north,paid,3,15.00,7.5,2026-11-03,10.50,3\r
                south,paid,1,20,20,2026-11-01,20,1\r
                """);
        // 'abc' cannot be summed: its row is rejected with the reason; the empty amount is left out
        assertThat(c.rejects()).contains("6,amount: 'abc' is not a number (revenue is sum of it),5,south");
        assertThat(c.result().rowsRead()).isEqualTo(7);
        assertThat(c.result().rowsRejected()).isEqualTo(1);
        assertThat(c.result().rowsWritten()).isEqualTo(4); // groups
    }

    @Test
    void withoutGroupByThereIsOneRowEvenForNoRows() throws IOException {
        String totals = """
                {"steps": [{"filter": "status = \\"paid\\""}, {"aggregate": {"metrics": {"orders": "count()",
                 "revenue": "sum(`amount`)", "avg": "avg(amount)"}}}]}""";
        assertThat(convert(ORDERS.replace("abc", "1"), totals).out()).isEqualTo("orders,revenue,avg\r\n5,36.00,9\r\n");
        assertThat(convert("id,status,amount\n", totals).out()).isEqualTo("orders,revenue,avg\r\n0,0,\r\n");
    }

    @Test
    void manyGroupsSpillToDiskAndStillFoldInOrder() throws IOException {
        // more groups than the converter sorts in memory: runs go to disk and merge back
        StringBuilder csv = new StringBuilder("k,v\n");
        int groups = 120_000;
        for (int i = groups - 1; i >= 0; i--) {
            csv.append(i).append(',').append(i % 7).append('\n').append(i).append(",1\n");
        }
        Converted c = convert(csv.toString(), """
                {"steps": [{"aggregate": {"groupBy": ["k"], "metrics": {"n": "count()", "total": "sum(v)"}}}]}""");
        List<String> lines = c.out().lines().toList();
        assertThat(lines).hasSize(groups + 1);
        List<String> expected = new ArrayList<>();
        expected.add("k,n,total");
        for (int i = 0; i < groups; i++) {
            expected.add(i + ",2," + (i % 7 + 1));
        }
        assertThat(lines).isEqualTo(expected);
    }

    @Test
    void badDefinitionsNameTheStepAndField() {
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"aggregate\": {\"metrics\": {\"n\": \"count()\"}}},"
                + " {\"trim\": []}]}")).hasMessageContaining("steps[0] (aggregate): aggregate must be the last step");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"aggregate\": {\"metrics\": {\"n\": \"median(x)\"}}}]}"))
                .hasMessageContaining("steps[0] (aggregate).metrics.n: unknown function 'median'");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"aggregate\": {\"metrics\": {\"n\": \"sum()\"}}}]}"))
                .hasMessageContaining("sum needs a column");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"aggregate\": {\"metrics\": {\"n\": \"count(x)\"}}}]}"))
                .hasMessageContaining("count() counts rows");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"aggregate\": {\"groupBy\": [\"a\"]}}]}"))
                .hasMessageContaining("steps[0] (aggregate).metrics:");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"aggregate\": {\"by\": [\"a\"]}}]}"))
                .hasMessageContaining("steps[0] (aggregate).by: unknown");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"aggregate\": {\"groupBy\": [\"a\"], \"metrics\":"
                + " {\"a\": \"count()\"}}}]}")).hasMessageContaining("cannot share its name");
        assertThatThrownBy(() -> Pipeline.parse("{\"steps\": [{\"aggregate\": {\"groupBy\": [\"nope\"], \"metrics\":"
                + " {\"n\": \"count()\"}}}]}").bind(List.of("id"))).hasMessageContaining("nope");
    }
}
