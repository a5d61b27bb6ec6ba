package io.csvx.store.jdbc;

import io.csvx.file.BlobStore;
import io.csvx.store.Db;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/// File bytes in 1 MiB chunks, each chunk its own short transaction, so a large file never
/// holds one open; a file whose row does not exist yet is never read, so a half-stored one is harmless.
final class JdbcBlobs implements BlobStore {
    private static final int CHUNK = 1 << 20;
    private final Db db;

    JdbcBlobs(Db db) {
        this.db = db;
    }

    @Override
    public void put(String appId, String fileId, InputStream in) throws IOException {
        db.write(c -> Sql.update(c, "DELETE FROM file_chunk WHERE file_id = ?", fileId));
        int seq = 0;
        for (byte[] chunk = in.readNBytes(CHUNK); chunk.length > 0; chunk = in.readNBytes(CHUNK)) {
            int n = seq++;
            byte[] data = chunk;
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO file_chunk (file_id, app_id, seq, data) VALUES (?,?,?,?)")) {
                    ps.setString(1, fileId);
                    ps.setString(2, appId);
                    ps.setInt(3, n);
                    ps.setBytes(4, data);
                    return ps.executeUpdate();
                }
            });
        }
    }

    @Override
    public boolean copyTo(String fileId, OutputStream out) throws IOException {
        int count = db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM file_chunk WHERE file_id = ?", rs -> rs.getInt(1), fileId))
                .orElse(0);
        if (count == 0) {
            return false;
        }
        for (int seq = 0; seq < count; seq++) {
            int n = seq;
            byte[] data = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT data FROM file_chunk WHERE file_id = ? AND seq = ?")) {
                    ps.setString(1, fileId);
                    ps.setInt(2, n);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getBytes(1) : null;
                    }
                }
            });
            if (data == null) {
                throw new IOException("chunk " + n + " of file " + fileId + " is missing");
            }
            out.write(data);
        }
        return true;
    }

    @Override
    public void delete(String fileId) {
        db.write(c -> Sql.update(c, "DELETE FROM file_chunk WHERE file_id = ?", fileId));
    }

    @Override
    public void deleteApp(String appId) {
        db.write(c -> Sql.update(c, "DELETE FROM file_chunk WHERE app_id = ?", appId));
    }
}
