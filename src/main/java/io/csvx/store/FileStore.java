package io.csvx.store;

import java.util.Optional;

/// Descriptions of uploaded files.
public interface FileStore {
    CsvFile create(CsvFile file);

    Optional<CsvFile> find(String appId, String id);

    Page<CsvFile> list(String appId, PageRequest page);

    boolean delete(String appId, String id);
}
