package io.csvx.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Two versions compared by key, each case as a user's files would have it.
class CsvDiffTest {
    @TempDir
    Path dir;

    private CsvDiff.Summary diff(String older, String newer, List<String> key, CsvDiff.Format format,
                                 ByteArrayOutputStream out, int rowsInMemory) throws IOException {
        return diff(older.getBytes(StandardCharsets.UTF_8), newer.getBytes(StandardCharsets.UTF_8), key, format, out,
                rowsInMemory);
    }

    private final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();

    private CsvDiff.Summary diff(byte[] older, byte[] newer, List<String> key, CsvDiff.Format format,
                                 ByteArrayOutputStream out, int rowsInMemory) throws IOException {
        opened.set(0);
        CsvDiff.Target target = () -> {
            if (out == null) {
                return CsvDiff.Sink.NONE;
            }
            out.reset(); // a second opening starts the output afresh
            return CsvDiff.writer(format, out, key);
        };
        return CsvDiff.diff(() -> read(older), () -> read(newer), key,
                new CsvDiff.Options(CsvInput.Options.detect(), rowsInMemory, dir), target);
    }

    private ByteArrayInputStream read(byte[] bytes) {
        opened.incrementAndGet();
        return new ByteArrayInputStream(bytes);
    }

    @Test
    void rowsAddedRemovedAndChangedWithTheirColumns() throws IOException {
        String older = "order_id,status,amount\n1,open,10\n2,open,20\n3,paid,30\n";
        String newer = "order_id,status,amount\n1,open,10\n2,cancelled,25\n4,open,40\n";
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        CsvDiff.Summary s = diff(older, newer, List.of("order_id"), CsvDiff.Format.CSV, csv, 1000);
        assertThat(s.added()).isEqualTo(1);
        assertThat(s.removed()).isEqualTo(1);
        assertThat(s.changed()).isEqualTo(1);
        assertThat(s.unchanged()).isEqualTo(1);
        assertThat(s.changedByColumn()).containsExactly(Map.entry("status", 1L), Map.entry("amount", 1L));
        assertThat(csv.toString(StandardCharsets.UTF_8)).isEqualTo("""
                order_id,change,column,old,new\r
                2,changed,status,open,cancelled\r
                2,changed,amount,20,25\r
                3,removed,,,\r
                4,added,,,\r
                """);
        assertThat(s.sentence()).isEqualTo("1 added, 1 removed, 1 changed (status 1, amount 1), 1 unchanged");

        ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
        diff(older, newer, List.of("order_id"), CsvDiff.Format.NDJSON, ndjson, 1000);
        assertThat(ndjson.toString(StandardCharsets.UTF_8)).isEqualTo("""
                {"key":{"order_id":"2"},"change":"changed","columns":{"status":{"old":"open","new":"cancelled"},"amount":{"old":"20","new":"25"}}}
                {"key":{"order_id":"3"},"change":"removed"}
                {"key":{"order_id":"4"},"change":"added"}
                """);
        assertThat(CsvDiff.toJson(s)).startsWith("{\"key\":[\"order_id\"],\"added\":1,\"removed\":1,\"changed\":1,"
                + "\"unchanged\":1,\"changedByColumn\":{\"status\":1,\"amount\":1},\"columnsAdded\":[],"
                + "\"columnsRemoved\":[],\"first\":[{\"key\":{\"order_id\":\"2\"}");
    }

    @Test
    void reorderedRowsAndColumnsAreNoChange() throws IOException {
        String older = "id,name,city\n1,Ann,Oslo\n2,\"Smith, Jo\",Rome\n3,Bo,Lima\n";
        String newer = "city,id,name\nLima,3,Bo\nOslo,1,Ann\nRome,2,\"Smith, Jo\"\n";
        CsvDiff.Summary s = diff(older, newer, List.of("id"), CsvDiff.Format.CSV, null, 1000);
        assertThat(s.unchanged()).isEqualTo(3);
        assertThat(s.added() + s.removed() + s.changed()).isZero();
    }

    @Test
    void aColumnOnlyOneVersionHasIsReportedNotCompared() throws IOException {
        String older = "id,name,fax\n1,Ann,123\n";
        String newer = "id,name,email\n1,Ann,ann@example.com\n";
        CsvDiff.Summary s = diff(older, newer, List.of("id"), CsvDiff.Format.CSV, null, 1000);
        assertThat(s.unchanged()).isEqualTo(1);
        assertThat(s.columnsAdded()).containsExactly("email");
        assertThat(s.columnsRemoved()).containsExactly("fax");
        assertThat(s.sentence()).endsWith("; columns added: email; columns removed: fax");
    }

    @Test
    void keysAreMatchedByTheirTextQuotedOrNotAndMayHaveSeveralColumns() throws IOException {
        // "007" and "7" are different keys; a quoted key is its text
        String older = "region,id,v\neu,7,a\neu,007,b\n\"us, east\",1,c\n";
        String newer = "region,id,v\neu,\"7\",a\neu,7.0,x\n\"us, east\",1,d\n";
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        CsvDiff.Summary s = diff(older, newer, List.of("region", "id"), CsvDiff.Format.CSV, csv, 1000);
        assertThat(s.unchanged()).isEqualTo(1);
        assertThat(s.changed()).isEqualTo(1);
        assertThat(s.removed()).isEqualTo(1);
        assertThat(s.added()).isEqualTo(1);
        assertThat(csv.toString(StandardCharsets.UTF_8)).contains("eu,007,removed", "eu,7.0,added",
                "\"us, east\",1,changed,v,c,d");
    }

    @Test
    void aKeyTwiceInOneVersionIsRefusedWithBothLines() {
        String older = "id,v\n1,a\n2,b\n1,c\n";
        assertThatThrownBy(() -> diff(older, "id,v\n1,a\n", List.of("id"), CsvDiff.Format.CSV, null, 1000))
                .isInstanceOf(CsvDiff.Unusable.class)
                .hasMessage("the old version: line 4: the key id=1 is on line 2 too: a key must name one row")
                .extracting(e -> ((CsvDiff.Unusable) e).version()).isEqualTo(CsvDiff.Version.OLD);
        // the same when the versions are partitioned on disk and split again
        assertThatThrownBy(() -> diff("id,v\n3,a\n1,b\n", "id,v\n2,a\n1,b\n5,c\n1,d\n", List.of("id"),
                CsvDiff.Format.CSV, null, 1))
                .hasMessage("the new version: line 5: the key id=1 is on line 3 too: a key must name one row");
    }

    @Test
    void aMissingKeyColumnOrADuplicateColumnNameIsRefused() {
        assertThatThrownBy(() -> diff("id,v\n1,a\n", "ID,v\n1,a\n", List.of("id"), CsvDiff.Format.CSV, null, 1000))
                .isInstanceOf(CsvDiff.Unusable.class)
                .hasMessage("the new version: line 1: no key column 'id' (its columns: ID, v)");
        assertThatThrownBy(() -> diff("id,v,v\n1,a,b\n", "id,v\n1,a\n", List.of("id"), CsvDiff.Format.CSV, null, 1000))
                .isInstanceOf(CsvDiff.Unusable.class)
                .hasMessage("the old version: line 1: the header names the column 'v' twice");
        assertThatThrownBy(() -> diff("id,v\n1,a\n", "", List.of("id"), CsvDiff.Format.CSV, null, 1000))
                .isInstanceOf(CsvDiff.Unusable.class).hasMessageStartingWith("the new version: the file is empty");
    }

    @Test
    void emptyVersionsAddOrRemoveEverything() throws IOException {
        assertThat(diff("id,v\n", "id,v\n1,a\n2,b\n", List.of("id"), CsvDiff.Format.CSV, null, 1000).added())
                .isEqualTo(2);
        assertThat(diff("id,v\n1,a\n", "id,v\n", List.of("id"), CsvDiff.Format.CSV, null, 1000).removed())
                .isEqualTo(1);
    }

    @Test
    void aVersionWithAnotherDelimiterAndEncodingComparesByItsValues() throws IOException {
        byte[] older = "id,name\n1,Zoë\n2,Åsa\n".getBytes(StandardCharsets.UTF_8);
        byte[] newer = "id;name\r\n1;Zoë\r\n2;Asa\r\n".getBytes(Charset.forName("windows-1252"));
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        CsvDiff.Summary s = diff(older, newer, List.of("id"), CsvDiff.Format.CSV, csv, 1000);
        assertThat(s.unchanged()).isEqualTo(1);
        assertThat(csv.toString(StandardCharsets.UTF_8)).contains("2,changed,name,Åsa,Asa");
    }

    @Test
    void versionsInKeyOrderAreReadOnceAndOthersSortedWithTheSameAnswer() throws IOException {
        // in order as whole numbers: 9 before 10, read as they are
        String older = "id,v\n1,a\n9,b\n10,c\n200,d\n";
        String newer = "id,v\n1,a\n9,x\n11,e\n200,d\n";
        ByteArrayOutputStream inOrder = new ByteArrayOutputStream();
        CsvDiff.Summary a = diff(older, newer, List.of("id"), CsvDiff.Format.CSV, inOrder, 1000);
        assertThat(opened).as("each version read once").hasValue(2);
        // the same rows, the new version's last one out of order: found in its first rows, so
        // compared by partitions without reading either again, and the same answer
        String shuffled = "id,v\n1,a\n9,x\n200,d\n11,e\n";
        ByteArrayOutputStream sorted = new ByteArrayOutputStream();
        CsvDiff.Summary b = diff(older, shuffled, List.of("id"), CsvDiff.Format.CSV, sorted, 1000);
        assertThat(opened).as("each read once").hasValue(2);
        assertThat(b).isEqualTo(a);
        assertThat(sorted.toString(StandardCharsets.UTF_8)).isEqualTo(inOrder.toString(StandardCharsets.UTF_8))
                .isEqualTo("id,change,column,old,new\r\n9,changed,v,b,x\r\n10,removed,,,\r\n11,added,,,\r\n");
    }

    @Test
    void aVersionOutOfOrderPastItsFirstRowsIsReadAgainWithTheSameAnswer() throws IOException {
        StringBuilder older = new StringBuilder("id,v\n");
        StringBuilder newer = new StringBuilder("id,v\n");
        StringBuilder late = new StringBuilder("id,v\n");
        for (int i = 1; i <= 1_000; i++) {
            older.append(i).append(",a\n");
            String row = i + "," + (i % 10 == 0 ? "b" : "a") + "\n";
            newer.append(row);
            if (i != 900) {
                late.append(row);
            }
        }
        late.append("900,b\n"); // out of order, far past the first rows
        ByteArrayOutputStream inOrder = new ByteArrayOutputStream();
        diff(older.toString(), newer.toString(), List.of("id"), CsvDiff.Format.CSV, inOrder, 1000);
        ByteArrayOutputStream sorted = new ByteArrayOutputStream();
        CsvDiff.Summary s = diff(older.toString(), late.toString(), List.of("id"), CsvDiff.Format.CSV, sorted, 1000);
        assertThat(opened).as("each read again to be partitioned").hasValue(4);
        assertThat(s.changed()).isEqualTo(100);
        assertThat(sorted.toString(StandardCharsets.UTF_8)).isEqualTo(inOrder.toString(StandardCharsets.UTF_8))
                .as("the changes written before giving up are not kept").startsWith("id,change,column,old,new\r\n10,");
    }

    @Test
    void keysOrderAsWholeNumbersWhenBothAreElseAsText() {
        assertThat(CsvDiff.compareKey("9", "10")).isNegative();
        assertThat(CsvDiff.compareKey("10", "9")).isPositive();
        assertThat(CsvDiff.compareKey("007", "7")).isPositive(); // not a plain number: text, after the numbers
        assertThat(CsvDiff.compareKey("7", "7")).isZero();
        assertThat(CsvDiff.compareKey("007", "08")).isNegative();
        assertThat(CsvDiff.compareKey("ab", "b")).isNegative();
        assertThat(CsvDiff.compareKey("", "0")).isPositive();
    }

    @Test
    void packedKeysOrderAsTheirTextsDo() {
        // UTF-8 bytes order as code points, texts as UTF-16: they differ between U+E000-U+FFFF
        // and the characters beyond, which the byte comparison must settle as the texts do
        String[] alphabet = {"0", "1", "9", "a", "é", "\uE000", "\uFFFD", "😀", "𝄞", ",", ""};
        Random random = new Random(3);
        for (int t = 0; t < 20_000; t++) {
            String[] a = {word(random, alphabet), word(random, alphabet)};
            String[] b = {random.nextInt(4) == 0 ? a[0] : word(random, alphabet), word(random, alphabet)};
            int expected = Integer.signum(CsvDiff.compareKey(a[0], b[0]));
            if (expected == 0) {
                expected = Integer.signum(CsvDiff.compareKey(a[1], b[1]));
            }
            assertThat(Integer.signum(CsvDiff.compareKeys(packed(a), 0, packed(b), 0)))
                    .as("%s vs %s", List.of(a), List.of(b)).isEqualTo(expected);
        }
    }

    private static String word(Random random, String[] alphabet) {
        StringBuilder w = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            w.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return w.toString();
    }

    /// A row of key values only, as [PackedRows] holds it.
    private static PackedRows packed(String[] key) {
        ByteArrayOutputStream k = new ByteArrayOutputStream();
        for (String v : key) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            k.write(b.length); // under 128: one byte
            k.writeBytes(b);
        }
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 2}); // line 2
        record.writeBytes(new byte[4]); // the key's hash, unused here
        record.write(k.size());
        record.write(0); // no values
        record.writeBytes(k.toByteArray());
        PackedRows rows = new PackedRows(1, 64);
        rows.add(record.toByteArray(), record.size());
        return rows;
    }

    @Test
    void spilledToDiskTheAnswerIsTheSameAndNoRunIsLeftBehind() throws IOException {
        Random random = new Random(42);
        List<String> rows = new ArrayList<>();
        StringBuilder older = new StringBuilder("id,qty,note\n");
        StringBuilder newer = new StringBuilder("id,qty,note\n");
        for (int i = 0; i < 5_000; i++) {
            rows.add(i + "," + random.nextInt(100) + ",\"line\nbreak " + i + "\"");
        }
        List<String> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, random);
        shuffled.forEach(r -> older.append(r).append('\n'));
        for (int i = 0; i < rows.size(); i++) {
            if (i % 100 == 0) {
                continue; // removed
            }
            String r = rows.get(i);
            newer.append(i % 50 == 1 ? r.replaceFirst(",\\d+,", ",1000,") : r).append('\n');
        }
        newer.append("9999,1,\"new\"\n");
        ByteArrayOutputStream inMemory = new ByteArrayOutputStream();
        ByteArrayOutputStream spilled = new ByteArrayOutputStream();
        CsvDiff.Summary a = diff(older.toString(), newer.toString(), List.of("id"), CsvDiff.Format.NDJSON, inMemory,
                1_000_000);
        CsvDiff.Summary b = diff(older.toString(), newer.toString(), List.of("id"), CsvDiff.Format.NDJSON, spilled, 300);
        assertThat(b).isEqualTo(a);
        assertThat(spilled.toString(StandardCharsets.UTF_8)).isEqualTo(inMemory.toString(StandardCharsets.UTF_8));
        // partitions bigger than memory allows are split again, as are the changes' sorted runs
        ByteArrayOutputStream splitAgain = new ByteArrayOutputStream();
        assertThat(diff(older.toString(), newer.toString(), List.of("id"), CsvDiff.Format.NDJSON, splitAgain, 10))
                .isEqualTo(a);
        assertThat(splitAgain.toString(StandardCharsets.UTF_8)).isEqualTo(inMemory.toString(StandardCharsets.UTF_8));
        assertThat(a.removed()).isEqualTo(50);
        assertThat(a.added()).isEqualTo(1);
        assertThat(a.changed()).isEqualTo(100);
        try (var left = Files.list(dir)) {
            assertThat(left).as("partitions and sorted runs are removed").isEmpty();
        }
    }
}
