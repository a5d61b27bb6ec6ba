package io.csvx.file;

import java.time.Instant;
import java.util.List;

/// A stored file as the API answers with it and as `file.uploaded` carries it.
///
/// @param role  upload, output or rejects
/// @param jobId the job that wrote an output, or null
public record FileView(String id, String name, long size, String sha256, long rows, List<String> columns,
                       String delimiter, String encoding, String format, String role, String jobId, Instant createdAt) {

    public static FileView of(CsvFile f) {
        return new FileView(f.id(), f.name(), f.size(), f.sha256(), f.rows(), f.columns(), f.delimiter(), f.encoding(),
                f.format(), f.role().wire(), f.jobId(), f.createdAt());
    }
}
