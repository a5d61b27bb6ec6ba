package io.csvx.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/// File bytes kept in the database, for nodes that share it but not a disk.
public interface BlobStore {
    /// Stores everything `in` holds as the bytes of `fileId`.
    void put(String appId, String fileId, InputStream in) throws IOException;

    /// Writes the bytes of `fileId` to `out`; false when the database has none.
    boolean copyTo(String fileId, OutputStream out) throws IOException;

    void delete(String fileId);

    void deleteApp(String appId);
}
