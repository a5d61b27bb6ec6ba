/// The streaming CSV core: encoding and delimiter sniffing, reading on FastCSV with line-numbered
/// errors, writers for JSON, NDJSON, XML, CSV and TSV, and the converter that runs a pipeline
/// between them. Knows nothing of HTTP or the store, so the offline `convert` command and the
/// server share it unchanged. Uses `pipeline`, FastCSV and the JDK's StAX writer.
package io.csvx.csv;
