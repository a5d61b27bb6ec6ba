package io.csvx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalSorterTest {
    @TempDir
    Path dir;

    private static final List<String> HEADER = List.of("id", "amount", "name");

    @Test
    void sortsInMemoryAndAcrossSpilledRunsAlike() throws IOException {
        Random random = new Random(3);
        List<ExternalSorter.Line> input = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            input.add(new ExternalSorter.Line(i + 2, new String[] {Integer.toString(i),
                    Integer.toString(random.nextInt(100)), random.nextBoolean() ? "a,\"b\"\nc" : "z"}));
        }
        List<SortKey> keys = List.of(new SortKey("amount", true), new SortKey("name", false));
        List<ExternalSorter.Line> inMemory = sort(input, keys, 1_000_000);
        List<ExternalSorter.Line> spilled = sort(input, keys, 333);
        // 500 runs: more than are merged at once, so merged a share at a time first
        List<ExternalSorter.Line> manyRuns = sort(input, keys, 10);

        // descending by amount as a number, then name, then input order (stable)
        List<ExternalSorter.Line> expected = new ArrayList<>(input);
        expected.sort(Comparator.<ExternalSorter.Line>comparingInt(l -> -Integer.parseInt(l.row()[1]))
                .thenComparing(l -> l.row()[2]).thenComparingLong(ExternalSorter.Line::line));
        assertThat(inMemory).extracting(ExternalSorter.Line::line).containsExactlyElementsOf(
                expected.stream().map(ExternalSorter.Line::line).toList());
        assertThat(spilled).extracting(ExternalSorter.Line::line).containsExactlyElementsOf(
                expected.stream().map(ExternalSorter.Line::line).toList());
        assertThat(manyRuns).extracting(ExternalSorter.Line::line).containsExactlyElementsOf(
                expected.stream().map(ExternalSorter.Line::line).toList());
        assertThat(spilled.get(0).row()).containsExactly(expected.get(0).row());
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("temporary runs are removed").isEmpty();
        }
    }

    @Test
    void neverMoreRunsThanAreMergedAtOnce() throws IOException {
        try (ExternalSorter sorter = new ExternalSorter(HEADER, List.of(new SortKey("id", false)), 2, dir)) {
            for (int i = 0; i < 1_000; i++) {
                sorter.add(i + 2, new String[] {Integer.toString(999 - i), "1", "x"});
                assertThat(sorter.runs()).isLessThan(ExternalSorter.MAX_RUNS);
            }
            List<String> ids = new ArrayList<>();
            sorter.drain((line, row) -> ids.add(row[0]));
            assertThat(ids).hasSize(1_000).first().isEqualTo("0");
            assertThat(ids).last().isEqualTo("999");
        }
    }

    @Test
    void fieldsLargerThanARunsBufferComeBackWhole() throws IOException {
        String big = "é".repeat(100_000); // 200,000 bytes of UTF-8
        List<ExternalSorter.Line> input = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            input.add(new ExternalSorter.Line(i + 2, new String[] {Integer.toString(9 - i), "1", i == 4 ? big : "x"}));
        }
        List<ExternalSorter.Line> out = sort(input, List.of(new SortKey("id", false)), 3);
        assertThat(out).extracting(l -> l.row()[0]).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(out.get(5).row()[2]).isEqualTo(big);
    }

    @Test
    void numbersSortAsNumbersAndTextAsText() throws IOException {
        List<ExternalSorter.Line> input = List.of(
                new ExternalSorter.Line(2, new String[] {"1", "10", "b"}),
                new ExternalSorter.Line(3, new String[] {"2", "9", "a"}),
                new ExternalSorter.Line(4, new String[] {"3", "x", "c"}));
        assertThat(sort(input, List.of(new SortKey("amount", false)), 10)).extracting(l -> l.row()[1])
                .containsExactly("9", "10", "x");
    }

    private List<ExternalSorter.Line> sort(List<ExternalSorter.Line> input, List<SortKey> keys, int inMemory)
            throws IOException {
        List<ExternalSorter.Line> out = new ArrayList<>();
        try (ExternalSorter sorter = new ExternalSorter(HEADER, keys, inMemory, dir)) {
            for (ExternalSorter.Line l : input) {
                sorter.add(l.line(), l.row().clone());
            }
            if (inMemory < input.size()) {
                assertThat(sorter.runs()).isGreaterThan(1);
            }
            sorter.drain((line, row) -> out.add(new ExternalSorter.Line(line, row)));
        }
        return out;
    }
}
