package io.csvx.file;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/// A stored file as described when it was written: an upload, or an output (or the rejected rows)
/// of a job. Where its bytes live is the file service's business.
///
/// @param format    csv for uploads; a job's output format (json, ndjson, xml, csv, tsv) otherwise
/// @param role      why it exists
/// @param jobId     the job that wrote it, or null for an upload
public record CsvFile(String id, String appId, String name, long size, String sha256, long rows, List<String> columns,
                      String delimiter, String encoding, String format, Role role, String jobId, Instant createdAt) {
    /// Why a file exists; [#wire] is how the API and the store spell it.
    public enum Role {
        /// Uploaded (or received by a source, or fetched by a job).
        UPLOAD,
        /// Written by a job.
        OUTPUT,
        /// The rows a job's validation rejected, with line and reason.
        REJECTS;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    public CsvFile {
        columns = List.copyOf(columns);
    }
}
