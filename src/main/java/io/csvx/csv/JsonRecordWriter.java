package io.csvx.csv;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/// A JSON array of objects, or NDJSON (one object a line), keyed by the header. Every value is
/// a string unless `inferTypes`, which writes integers, decimals and booleans as JSON values.
final class JsonRecordWriter implements RecordWriter {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][-+]?\\d+)?");

    private final JsonGenerator json;
    private final boolean lines;
    private final boolean inferTypes;
    private SerializedString[] keys;

    JsonRecordWriter(OutputStream out, boolean lines, boolean inferTypes) throws IOException {
        this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.lines = lines;
        this.inferTypes = inferTypes;
        if (lines) {
            json.setRootValueSeparator(new SerializedString("\n"));
        } else {
            json.writeStartArray();
        }
    }

    @Override
    public void header(List<String> header) {
        keys = Names.keys(header).stream().map(SerializedString::new).toArray(SerializedString[]::new);
    }

    @Override
    public void row(long line, List<String> fields) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < keys.length; i++) {
            json.writeFieldName(keys[i]);
            String v = fields.get(i);
            if (inferTypes) {
                value(v);
            } else {
                json.writeString(v);
            }
        }
        json.writeEndObject();
    }

    private void value(String v) throws IOException {
        if (v.isEmpty()) {
            json.writeNull();
        } else if (v.equals("true") || v.equals("false")) {
            json.writeBoolean(v.equals("true"));
        } else if (INTEGER.matcher(v).matches()) {
            json.writeNumber(Long.parseLong(v));
        } else if (DECIMAL.matcher(v).matches()) {
            json.writeNumber(new BigDecimal(v));
        } else {
            json.writeString(v);
        }
    }

    @Override
    public void close() throws IOException {
        if (!lines) {
            json.writeEndArray();
        }
        json.writeRaw('\n');
        json.close();
    }
}
