package io.csvx.csv;

import io.csvx.pipeline.Format;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/// Writes rows in one output format, streaming: nothing but the current row is held.
sealed interface RecordWriter extends AutoCloseable permits JsonRecordWriter, XmlRecordWriter, DelimitedRecordWriter {

    void header(List<String> header) throws IOException;

    /// A row that starts on `line` of the input.
    void row(long line, List<String> fields) throws IOException;

    /// Finishes the document and flushes; does not close the underlying stream.
    @Override
    void close() throws IOException;

    static RecordWriter of(Format format, OutputStream out, boolean inferTypes) throws IOException {
        return switch (format) {
            case JSON -> new JsonRecordWriter(out, false, inferTypes);
            case NDJSON -> new JsonRecordWriter(out, true, inferTypes);
            case XML -> new XmlRecordWriter(out);
            case CSV -> new DelimitedRecordWriter(out, ',');
            case TSV -> new DelimitedRecordWriter(out, '\t');
        };
    }
}
