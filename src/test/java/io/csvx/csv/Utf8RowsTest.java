package io.csvx.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/// The byte reader against [CsvInput] (FastCSV): the same header, fields and lines, and an error
/// on the same line, for thousands of generated files full of quotes, delimiters and line ends.
class Utf8RowsTest {
    /// What a reader made of a file: its header, then each row as its line and fields, or the
    /// line of the error that stopped it.
    private record Reading(List<String> header, List<String> rows, Long errorLine) {
    }

    private static Reading fastCsv(byte[] file, CsvInput.Options options) throws IOException {
        List<String> rows = new ArrayList<>();
        try (CsvInput in = CsvInput.open(new ByteArrayInputStream(file), options)) {
            try {
                for (CsvInput.Row r = in.next(); r != null; r = in.next()) {
                    rows.add(r.line() + " " + r.fields());
                }
            } catch (CsvFormatException e) {
                return new Reading(in.header(), rows, e.line());
            }
            return new Reading(in.header(), rows, null);
        } catch (CsvFormatException e) {
            return new Reading(null, rows, e.line());
        }
    }

    private static Reading bytes(byte[] file, CsvInput.Options options, int chunk) throws IOException {
        List<String> rows = new ArrayList<>();
        try (Utf8Rows in = Utf8Rows.open(trickle(file, chunk), options)) {
            try {
                while (in.next()) {
                    List<String> fields = new ArrayList<>();
                    for (int i = 0; i < in.fields(); i++) {
                        fields.add(in.text(i));
                    }
                    if (fields.size() != in.header().size()) {
                        return new Reading(in.header(), rows, in.line()); // as CsvInput refuses it
                    }
                    rows.add(in.line() + " " + fields);
                }
            } catch (CsvFormatException e) {
                return new Reading(in.header(), rows, e.line());
            }
            return new Reading(in.header(), rows, null);
        } catch (CsvFormatException e) {
            return new Reading(null, rows, e.line());
        }
    }

    /// A stream that hands over at most `chunk` bytes a read, so rows and characters are cut
    /// at every place a buffer can end.
    private static InputStream trickle(byte[] file, int chunk) {
        return new ByteArrayInputStream(file) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static final String[] PIECES = {"a", "b", "id", ",", ",", ",", "\"", "\"", "\"\"", "\n", "\n", "\r\n", "\r",
        " ", "é", "😀", "x y", ";", "\t", "1", "22"};

    @Test
    void generatedFilesReadAsFastCsvReadsThem() throws IOException {
        Random random = new Random(11);
        int errors = 0;
        for (int t = 0; t < 4000; t++) {
            StringBuilder s = new StringBuilder();
            int pieces = random.nextInt(40);
            for (int i = 0; i < pieces; i++) {
                s.append(PIECES[random.nextInt(PIECES.length)]);
            }
            byte[] file = s.toString().getBytes(StandardCharsets.UTF_8);
            CsvInput.Options options = t % 2 == 0 ? CsvInput.Options.detect() : CsvInput.Options.detect().withDelimiter(',');
            Reading expected = fastCsv(file, options);
            errors += expected.errorLine() != null ? 1 : 0;
            for (int chunk : new int[] {1, 3, 1 << 20}) {
                assertThat(bytes(file, options, chunk)).as("%s (chunks of %d)", s, chunk).isEqualTo(expected);
            }
        }
        assertThat(errors).as("files with an error among them").isBetween(400, 3600);
    }

    @Test
    void wellFormedRowsWithQuotedFieldsAndEveryLineEnd() throws IOException {
        Random random = new Random(5);
        StringBuilder s = new StringBuilder("id,name,note\r\n");
        for (int i = 0; i < 3000; i++) {
            s.append(i).append(',').append(i % 3 == 0 ? "\"Paris, FR\"" : "Zürich").append(',')
                    .append(i % 5 == 0 ? "\"said \"\"hi\"\"\nthen left\"" : "😀 ok")
                    .append(List.of("\n", "\r\n", "\r", "\n\n").get(random.nextInt(4)));
        }
        byte[] file = s.toString().getBytes(StandardCharsets.UTF_8);
        Reading expected = fastCsv(file, CsvInput.Options.detect());
        assertThat(expected.rows()).hasSize(3000);
        assertThat(expected.errorLine()).isNull();
        for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
            assertThat(bytes(file, CsvInput.Options.detect(), chunk)).isEqualTo(expected);
        }
    }

    @Test
    void aFieldLongerThanTheBufferIsReadWhole() throws IOException {
        String big = "ü\"\"x".repeat(700_000); // 3.5 MB quoted, past the 1 MiB buffer
        byte[] file = ("id,text\n1,\"" + big + "\"\n2,b\n").getBytes(StandardCharsets.UTF_8);
        Reading r = bytes(file, CsvInput.Options.detect(), 1 << 16);
        assertThat(r).isEqualTo(fastCsv(file, CsvInput.Options.detect()));
        assertThat(r.rows()).hasSize(2);
        assertThat(r.rows().getFirst()).isEqualTo("2 [1, " + big.replace("\"\"", "\"") + "]");
    }

    @Test
    void otherEncodingsAreReadAsUtf8() throws IOException {
        String text = "id;city\n1;Zürich\n2;\"São, Paulo\"\n";
        for (Charset c : List.of(Charset.forName("windows-1252"), StandardCharsets.UTF_16LE)) {
            byte[] body = text.getBytes(c);
            byte[] file = c == StandardCharsets.UTF_16LE ? concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, body) : body;
            Reading r = bytes(file, CsvInput.Options.detect(), 5);
            assertThat(r).isEqualTo(fastCsv(file, CsvInput.Options.detect()));
            assertThat(r.rows()).containsExactly("2 [1, Zürich]", "3 [2, São, Paulo]");
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedOnTheirLine() throws IOException {
        byte[] good = "id,v\n1,a\n2,b\n".repeat(10_000).getBytes(StandardCharsets.UTF_8); // 64 KiB and more of UTF-8
        byte[] file = concat(good, new byte[] {'9', ',', (byte) 0xC3, '(', '\n'});
        try (Utf8Rows in = Utf8Rows.open(new ByteArrayInputStream(file), CsvInput.Options.detect())) {
            assertThatThrownBy(() -> {
                while (in.next()) {
                    // read to the bad bytes
                }
            }).isInstanceOf(CsvFormatException.class).hasMessageContaining("not valid UTF-8")
                    .extracting(e -> ((CsvFormatException) e).line()).isEqualTo(30_001L);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
