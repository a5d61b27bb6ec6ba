package io.csvx.pipeline;

import java.util.Locale;

/// Output formats of a conversion (and of a pipeline's `output.format`).
public enum Format {
    JSON, NDJSON, XML, CSV, TSV;

    public static Format parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + name + "' (use json, ndjson, xml, csv or tsv)");
        }
    }
}
