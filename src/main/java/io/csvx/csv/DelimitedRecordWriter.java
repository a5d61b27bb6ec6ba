package io.csvx.csv;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/// RFC 4180 CSV (or TSV) in UTF-8 with CRLF line ends, quoting only where needed.
final class DelimitedRecordWriter implements RecordWriter {
    private final OutputStreamWriter writer;
    private final CsvWriter csv;

    DelimitedRecordWriter(OutputStream out, char delimiter) {
        this.writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        this.csv = CsvWriter.builder().fieldSeparator(delimiter).lineDelimiter(LineDelimiter.CRLF).build(writer);
    }

    @Override
    public void header(List<String> header) {
        csv.writeRecord(header);
    }

    @Override
    public void row(long line, List<String> fields) {
        csv.writeRecord(fields);
    }

    @Override
    public void close() throws IOException {
        csv.flush();
        writer.flush();
    }
}
