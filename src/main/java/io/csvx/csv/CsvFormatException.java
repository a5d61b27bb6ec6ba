package io.csvx.csv;

import java.nio.charset.Charset;

/// Input that is not usable CSV, with the line at fault (1-based; 0 when it concerns the whole file).
public final class CsvFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long line;
    private final String detail;
    /// For bytes the charset cannot decode: which charset; the line is then only where the reader
    /// noticed (it decodes ahead), until [CsvInput#locate] finds the exact one.
    private final transient Charset undecodable;

    public CsvFormatException(long line, String message) {
        this(line, message, null);
    }

    CsvFormatException(long line, String message, Charset undecodable) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
        this.detail = message;
        this.undecodable = undecodable;
    }

    /// A row whose field count is not the header's.
    static CsvFormatException fieldCount(long line, int fields, int header) {
        return new CsvFormatException(line, "the row has " + fields + (fields == 1 ? " field" : " fields")
                + " where the header has " + header);
    }

    Charset undecodable() {
        return undecodable;
    }

    String detail() {
        return detail;
    }

    public long line() {
        return line;
    }
}
