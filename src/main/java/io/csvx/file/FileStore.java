package io.csvx.file;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.util.Optional;

/// Descriptions of stored files: uploads and what jobs wrote.
public interface FileStore {
    CsvFile create(CsvFile file);

    Optional<CsvFile> find(String appId, String id);

    /// Files of an application; only those a job wrote when `jobId` is not null.
    Page<CsvFile> list(String appId, PageRequest page, String jobId);

    boolean delete(String appId, String id);
}
