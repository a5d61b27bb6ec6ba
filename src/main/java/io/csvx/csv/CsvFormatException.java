package io.csvx.csv;

/// Input that is not usable CSV, with the line at fault (1-based; 0 when it concerns the whole file).
public final class CsvFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long line;

    public CsvFormatException(long line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
