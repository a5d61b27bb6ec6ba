package io.csvx.file;

import java.time.Instant;
import java.util.List;

/// A stored file as described when it was written: an upload, or an output (or the rejected rows)
/// of a job. Where its bytes live is the file service's business.
///
/// @param format    csv for uploads; a job's output format (json, ndjson, xml, csv, tsv) otherwise
/// @param role      [#UPLOAD], [#OUTPUT] or [#REJECTS]
/// @param jobId     the job that wrote it, or null for an upload
public record CsvFile(String id, String appId, String name, long size, String sha256, long rows, List<String> columns,
                      String delimiter, String encoding, String format, String role, String jobId, Instant createdAt) {
    public static final String UPLOAD = "upload";
    public static final String OUTPUT = "output";
    public static final String REJECTS = "rejects";

    public CsvFile {
        columns = List.copyOf(columns);
    }
}
