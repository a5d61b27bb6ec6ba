/// Outbound networking: the SSRF guard (address classifier, guarded resolver) and the one
/// configured Jetty HTTP client. Only this package builds HTTP clients. Uses nothing of CSV-X.
package io.csvx.net;
