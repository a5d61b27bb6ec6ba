package io.csvx.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csvx.pipeline.Format;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/// Plain conversion from bytes against the converter's row-by-row path (FastCSV, a String per
/// field, the JSON writer): the same output byte for byte, the same counts, and the same error
/// on the same line.
class BytesToJsonTest {
    /// A listener that listens to nothing: the converter then takes its row-by-row path.
    private static final Converter.Listener ROWS = new Converter.Listener() {
    };

    private record Run(String output, Converter.Result result, String error) {
    }

    private static Run run(byte[] csv, Format format, boolean infer, boolean fast) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Converter.Result r = Converter.convert(new ByteArrayInputStream(csv), CsvInput.Options.detect(),
                    chunk -> out, format, infer, null, null, fast ? Converter.Listener.NONE : ROWS);
            return new Run(out.toString(StandardCharsets.UTF_8), r, null);
        } catch (CsvFormatException e) {
            return new Run(null, null, e.line() + ": " + e.detail());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final String[] VALUES = {"", "1", "-2.5", "1e9", "01", "true", "false", "null", "x", "Zürich",
        "\"a, b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"tab\there\"", "back\\slash", "😀", "\u0001", " 3 ",
        "1.", "-", "2E-3", "\"\"", "é\"x"};

    @Test
    void generatedFilesConvertByteForByteAsRowByRow() {
        Random random = new Random(17);
        for (int t = 0; t < 1500; t++) {
            int columns = 1 + random.nextInt(5);
            StringBuilder csv = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                csv.append(c > 0 ? "," : "").append(c % 3 == 0 ? "id" : c % 3 == 1 ? "name é" : "id");
            }
            csv.append(random.nextBoolean() ? "\r\n" : "\n");
            int rows = random.nextInt(30);
            for (int r = 0; r < rows; r++) {
                int fields = random.nextInt(40) == 0 ? columns + 1 : columns; // now and then a ragged row
                for (int c = 0; c < fields; c++) {
                    csv.append(c > 0 ? "," : "").append(VALUES[random.nextInt(VALUES.length)]);
                }
                csv.append(random.nextInt(10) == 0 ? "\n\n" : "\n");
            }
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            for (Format format : List.of(Format.JSON, Format.NDJSON)) {
                for (boolean infer : new boolean[] {false, true}) {
                    Run rows1 = run(bytes, format, infer, false);
                    Run fast = run(bytes, format, infer, true);
                    assertThat(fast).as("%s %s infer %s", csv, format, infer).isEqualTo(rows1);
                }
            }
        }
    }

    @Test
    void aLargeFileInAnotherEncodingAndDelimiter() {
        StringBuilder csv = new StringBuilder("id;city;note\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append(i).append(";").append(i % 2 == 0 ? "Zürich" : "\"Säo; Paulo\"").append(";")
                    .append(i % 7 == 0 ? "\"said \"\"rush\"\"\"" : "standard").append("\r\n");
        }
        byte[] bytes = csv.toString().getBytes(Charset.forName("windows-1252"));
        Run fast = run(bytes, Format.NDJSON, false, true);
        assertThat(fast).isEqualTo(run(bytes, Format.NDJSON, false, false));
        assertThat(fast.result().rowsWritten()).isEqualTo(20_000);
        assertThat(fast.result().delimiter()).isEqualTo(';');
    }

    @Test
    void aBadQuoteIsTheSameErrorOnTheSameLine() {
        byte[] bytes = "a,b\n1,2\n3,\"x\"y\n".getBytes(StandardCharsets.UTF_8);
        assertThat(run(bytes, Format.JSON, false, true)).isEqualTo(run(bytes, Format.JSON, false, false));
        assertThatThrownBy(() -> Converter.convert(new ByteArrayInputStream(bytes), CsvInput.Options.detect(),
                new ByteArrayOutputStream(), Format.JSON, false))
                .isInstanceOfSatisfying(CsvFormatException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageContaining("after a quoted field's closing quote: 'y'");
    }
}
