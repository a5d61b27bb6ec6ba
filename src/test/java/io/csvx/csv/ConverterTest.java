package io.csvx.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.pipeline.Format;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// RFC 4180 and the real-world variations around it, through the public conversion API.
class ConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String convert(byte[] input, CsvInput.Options options, Format format, boolean infer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Converter.convert(new ByteArrayInputStream(input), options, out, format, infer);
        return out.toString(StandardCharsets.UTF_8);
    }

    static JsonNode json(String csv) throws IOException {
        return JSON.readTree(convert(csv.getBytes(StandardCharsets.UTF_8), CsvInput.Options.detect(), Format.JSON, false));
    }

    @Test
    void quotedFieldsWithDelimitersDoubledQuotesAndLineBreaks() throws IOException {
        JsonNode rows = json("id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n4,\"\"\r\n");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).path("text").asText()).isEqualTo("a, b");
        assertThat(rows.get(1).path("text").asText()).isEqualTo("say \"hi\"");
        assertThat(rows.get(2).path("text").asText()).isEqualTo("two\r\nlines");
        assertThat(rows.get(3).path("text").asText()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n", "a,b\r1,2\r3,4\r", "a,b\n1,2\n3,4", "a,b\n\n1,2\n\n3,4\n\n"})
    void lineEndingsAndEmptyLinesDoNotMatter(String csv) throws IOException {
        JsonNode rows = json(csv);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).path("b").asText()).isEqualTo("4");
    }

    @Test
    void sniffsDelimiters() throws IOException {
        for (String d : new String[] {";", "\t", "|", ","}) {
            String oslo = d.equals(",") ? "\"Oslo, NO\"" : "Oslo, NO"; // commas in values must not fool the sniffer
            String csv = "name" + d + "city" + d + "n\nAnn" + d + oslo + d + "1\nBo" + d + "Rome" + d + "2\n";
            JsonNode rows = json(csv);
            assertThat(rows.get(0).path("city").asText()).as("delimiter %s", d).isEqualTo("Oslo, NO");
        }
    }

    @Test
    void detectsEncodings() throws IOException {
        String text = "name,city\nJosé,Zürich\n";
        byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text.getBytes(StandardCharsets.UTF_8));
        byte[] utf16 = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
        byte[] utf16be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, text.getBytes(StandardCharsets.UTF_16BE));
        byte[] legacy = text.getBytes(Charset.forName("windows-1252"));
        for (byte[] input : new byte[][] {text.getBytes(StandardCharsets.UTF_8), bom, utf16, utf16be, legacy}) {
            JsonNode rows = JSON.readTree(convert(input, CsvInput.Options.detect(), Format.JSON, false));
            assertThat(rows.get(0).path("name").asText()).isEqualTo("José");
            assertThat(rows.get(0).has("name")).isTrue(); // the BOM is not part of the first header
        }
    }

    @Test
    void invalidBytesUnderADeclaredEncodingNameTheLine() {
        byte[] input = concat("a,b\n1,2\n3,".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
        assertThatThrownBy(() -> convert(input, new CsvInput.Options(null, StandardCharsets.UTF_8, CsvInput.Options.detect().fallback()), Format.JSON, false))
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void raggedRowsAndUnterminatedQuotesNameTheirLine() {
        assertThatThrownBy(() -> json("a,b\n1,2\n\"multi\nline\",3\n4\n"))
                .isInstanceOfSatisfying(CsvFormatException.class, e -> assertThat(e.line()).isEqualTo(5))
                .hasMessageContaining("1 field where the header has 2");
        assertThatThrownBy(() -> json("a,b\n1,2\n3,\"never closed\n"))
                .isInstanceOfSatisfying(CsvFormatException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageContaining("unterminated");
    }

    @Test
    void emptyFileIsAnErrorAndAHeaderAloneIsNoRows() throws IOException {
        assertThatThrownBy(() -> json("")).isInstanceOf(CsvFormatException.class).hasMessageContaining("empty");
        assertThat(json("a,b\n")).isEmpty();
        assertThat(convert("a,b\n".getBytes(StandardCharsets.UTF_8), CsvInput.Options.detect(), Format.NDJSON, false))
                .isBlank();
    }

    @Test
    void blankAndRepeatedHeadersGetTheirOwnKeys() throws IOException {
        JsonNode row = json("id,,id\n1,2,3\n").get(0);
        assertThat(row.path("id").asText()).isEqualTo("1");
        assertThat(row.path("column_2").asText()).isEqualTo("2");
        assertThat(row.path("id_2").asText()).isEqualTo("3");
    }

    @Test
    void inferTypesWritesNumbersBooleansAndNulls() throws IOException {
        String out = convert("n,d,b,s,e,z\n42,-1.5e3,true,007,,0\n".getBytes(StandardCharsets.UTF_8),
                CsvInput.Options.detect(), Format.NDJSON, true);
        assertThat(out.strip()).isEqualTo("{\"n\":42,\"d\":-1.5e3,\"b\":true,\"s\":\"007\",\"e\":null,\"z\":0}");
    }

    @Test
    void xmlLayoutIsStableAndNamesAreSafe() throws IOException {
        String xml = convert("Order ID,2nd,ok\n1,<b>&,x\n".getBytes(StandardCharsets.UTF_8), CsvInput.Options.detect(),
                Format.XML, false);
        assertThat(xml).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rows>
                  <row line="2"><Order_ID name="Order ID">1</Order_ID><_2nd name="2nd">&lt;b&gt;&amp;</_2nd><ok>x</ok></row>
                </rows>
                """);
    }

    @Test
    void xmlCarriesControlCharactersItCannotHoldAsReplacementCharacters() throws IOException {
        String xml = convert("a\u0001b,xmlish\n1\u0002,2\n".getBytes(StandardCharsets.UTF_8), CsvInput.Options.detect(),
                Format.XML, false);
        assertThat(xml).contains("<a_b name=\"a\uFFFDb\">1\uFFFD</a_b>").contains("<_xmlish name=\"xmlish\">2</_xmlish>");
        assertThat(parses(xml)).isTrue();
    }

    private static boolean parses(String xml) {
        try {
            javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void csvAndTsvRoundTrip() throws IOException {
        String input = "a,b\n\"x, y\",\"q\"\"\"\n";
        assertThat(convert(input.getBytes(StandardCharsets.UTF_8), CsvInput.Options.detect(), Format.CSV, false))
                .isEqualTo("a,b\r\n\"x, y\",\"q\"\"\"\r\n");
        assertThat(convert(input.getBytes(StandardCharsets.UTF_8), CsvInput.Options.detect(), Format.TSV, false))
                .isEqualTo("a\tb\r\nx, y\t\"q\"\"\"\r\n");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
