package io.csvx.source;

/// A source definition that cannot work; the message names the field at fault (`verification.secret: …`).
public final class SourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    SourceException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /// The top-level field at fault: verification, action or dedup.
    public String field() {
        return field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
    }
}
