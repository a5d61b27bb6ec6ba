package io.csvx.store;

import java.time.Instant;
import java.util.List;

/// An uploaded CSV file as described at upload: where its bytes live is the file store's business.
public record CsvFile(String id, String appId, String name, long size, String sha256, long rows, List<String> columns,
                      String delimiter, String encoding, Instant createdAt) {
}
