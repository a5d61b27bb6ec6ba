package io.csvx.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/// What CSV-X keeps on disk (the data dir, the database and its WAL, the admin token, stored CSV
/// files) is readable by its owner only, whatever the umask: directories 700, files 600. On a
/// file system without POSIX permissions this does nothing.
public final class OwnerOnly {
    private OwnerOnly() {
    }

    /// Creates `dir` (and its parents) if needed and makes it owner-only.
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        set(dir, "rwx------");
        return dir;
    }

    /// Creates `file` empty and owner-only from the start, or makes an existing one owner-only.
    public static Path file(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException exists) {
            set(file, "rw-------");
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        return file;
    }

    /// Makes the files that exist among `files` owner-only.
    public static void existing(Set<Path> files) throws IOException {
        for (Path f : files) {
            if (Files.exists(f)) {
                set(f, "rw-------");
            }
        }
    }

    private static void set(Path p, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // best effort on file systems without POSIX permissions
        }
    }
}
