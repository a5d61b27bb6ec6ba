/// The streaming CSV core: encoding and delimiter sniffing, reading on FastCSV with line-numbered
/// errors, writers for JSON, NDJSON, XML, CSV and TSV, and the converter that runs a pipeline
/// between them; and the diff of two versions by key, which reads rows as UTF-8 bytes
/// (`Utf8Rows`, held to FastCSV's reading by its test) and compares them packed, as bytes, as
/// plain conversion to JSON does (`BytesToJson`, held to the row-by-row path by its test). Knows
/// nothing of HTTP or the store, so the offline `convert` and `diff` commands and the server share
/// it unchanged. Uses `pipeline`, FastCSV and the JDK's StAX writer.
package io.csvx.csv;
