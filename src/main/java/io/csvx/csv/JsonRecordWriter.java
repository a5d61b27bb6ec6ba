package io.csvx.csv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.regex.Pattern;

/// A JSON array of objects, or NDJSON (one object a line), keyed by the header. Every value is
/// a string unless `inferTypes`, which writes integers, decimals and booleans as JSON values
/// (as written in the file) and empty values as null.
final class JsonRecordWriter implements RecordWriter {
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][-+]?\\d+)?");

    private final Utf8JsonOut json;
    private final boolean lines;
    private final boolean inferTypes;
    private byte[][] keys;
    private boolean first = true;

    JsonRecordWriter(OutputStream out, boolean lines, boolean inferTypes) throws IOException {
        this.json = new Utf8JsonOut(out);
        this.lines = lines;
        this.inferTypes = inferTypes;
        if (!lines) {
            json.write((byte) '[');
        }
    }

    @Override
    public void header(List<String> header) throws IOException {
        keys = keys(header);
    }

    /// Each column's key as it is written, once: `"name":`, with a leading comma after the first.
    static byte[][] keys(List<String> header) throws IOException {
        List<String> names = Names.keys(header);
        byte[][] keys = new byte[names.size()][];
        for (int i = 0; i < keys.length; i++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            Utf8JsonOut key = new Utf8JsonOut(b);
            if (i > 0) {
                key.write((byte) ',');
            }
            key.string(names.get(i));
            key.write((byte) ':');
            key.flush();
            keys[i] = b.toByteArray();
        }
        return keys;
    }

    @Override
    public void row(long line, List<String> fields) throws IOException {
        if (!first) {
            json.write(lines ? (byte) '\n' : (byte) ',');
        }
        first = false;
        json.write((byte) '{');
        for (int i = 0; i < keys.length; i++) {
            json.write(keys[i]);
            String v = fields.get(i);
            if (inferTypes) {
                value(v);
            } else {
                json.string(v);
            }
        }
        json.write((byte) '}');
    }

    private void value(String v) throws IOException {
        if (v.isEmpty()) {
            json.ascii("null");
        } else if (v.equals("true") || v.equals("false") || NUMBER.matcher(v).matches()) {
            json.ascii(v); // a JSON number or literal exactly as written in the file
        } else {
            json.string(v);
        }
    }

    @Override
    public void close() throws IOException {
        if (!lines) {
            json.write((byte) ']');
            json.write((byte) '\n');
        } else if (!first) {
            json.write((byte) '\n');
        }
        json.flush();
    }
}
