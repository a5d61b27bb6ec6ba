package io.csvx.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/// Converts a CSV stream to another format, streaming row by row.
public final class Converter {
    private Converter() {
    }

    /// What a conversion read.
    public record Result(long rows, int columns, char delimiter, String encoding) {
    }

    /// Reads `in` and writes `out`; throws [CsvFormatException] naming the line at fault. On
    /// failure the output is left unfinished (a JSON array is not closed), so nothing downstream
    /// mistakes it for a whole document.
    public static Result convert(InputStream in, CsvInput.Options options, OutputStream out, Format format,
                                 boolean inferTypes) throws IOException {
        try (CsvInput csv = CsvInput.open(in, options)) {
            RecordWriter writer = RecordWriter.of(format, out, inferTypes);
            writer.header(csv.header());
            long rows = 0;
            for (CsvInput.Row row = csv.next(); row != null; row = csv.next()) {
                writer.row(row.line(), row.fields());
                rows++;
            }
            writer.close();
            return new Result(rows, csv.header().size(), csv.delimiter(), csv.encoding());
        }
    }
}
