package io.csvx.csv;

/// RFC 4180 edge cases shared by the offline CLI's tests and the API's.
public final class EdgeCases {
    /// One file holding them: a BOM, CRLF and a bare CR, quoted delimiters, doubled
    /// quotes, a line break inside quotes, an empty line, an empty last field.
    public static final String CSV = "\uFEFFid,text,note\r\n1,\"a, b\",\"say \"\"hi\"\"\"\r\n\r\n2,\"two\nlines\",\r3,plain,x\n";
    public static final String NDJSON = """
            {"id":"1","text":"a, b","note":"say \\"hi\\""}
            {"id":"2","text":"two\\nlines","note":""}
            {"id":"3","text":"plain","note":"x"}
            """;

    private EdgeCases() {
    }
}
