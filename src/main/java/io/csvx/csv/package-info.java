/// The streaming CSV core: encoding and delimiter sniffing, reading on FastCSV with line-numbered
/// errors, and writers for JSON, NDJSON, XML, CSV and TSV. Knows nothing of HTTP or the store,
/// so the offline `convert` command and the server share it unchanged. Uses only Jackson's
/// streaming generator and the JDK's StAX writer.
package io.csvx.csv;
