package io.csvx.file;

import io.csvx.csv.CsvFormatException;
import io.csvx.csv.CsvInput;
import io.csvx.message.Events;
import io.csvx.message.Publisher;
import io.csvx.store.Ids;
import io.csvx.store.OwnerOnly;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Stores uploads under `root/{app}/{file}.csv` and announces each as `file.uploaded`; a job's
/// outputs live under `root/{app}/{job}/`.
public final class FileService {

    private final Path root;
    private final FileStore store;
    private final Ids ids;
    private final Publisher publisher;
    private final long maxUpload;
    private final BlobStore shared;

    /// `shared`, when not null, keeps every file's bytes in the database too, for nodes that do
    /// not share a disk: each node then copies a file it lacks into its own `root` when needed.
    public FileService(Path root, FileStore store, Ids ids, Publisher publisher, long maxUpload, BlobStore shared) {
        this.shared = shared;
        this.root = root;
        this.store = store;
        this.ids = ids;
        this.publisher = publisher;
        this.maxUpload = maxUpload;
    }

    /// A body was larger than its limit (`--max-upload` for uploads).
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("the body is larger than the limit of " + limit + " bytes");
        }
    }

    /// Streams `body` to disk, reads it through once as CSV to describe it (a malformed file is
    /// refused with [io.csvx.csv.CsvFormatException] naming the line, and nothing is kept), stores
    /// the description and publishes `file.uploaded` to the application's endpoints.
    public CsvFile upload(String appId, String name, InputStream body) throws IOException {
        OwnerOnly.directory(root);
        Path dir = OwnerOnly.directory(root.resolve(appId));
        String id = ids.next("file_");
        Path partial = OwnerOnly.file(dir.resolve(id + ".partial"));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = copyAtMost(body, new DigestOutputStream(Files.newOutputStream(partial), sha), maxUpload);
            String digest = HexFormat.of().formatHex(sha.digest());
            CsvFile described;
            try {
                described = describe(partial, id, appId, name, size, digest);
            } catch (CsvFormatException e) {
                throw CsvInput.locate(e, partial);
            }
            Files.move(partial, path(described), StandardCopyOption.ATOMIC_MOVE);
            share(described);
            try {
                store.create(described);
            } catch (RuntimeException e) {
                Files.deleteIfExists(path(described)); // no row, no bytes
                throw e;
            }
            publisher.publishEvent(appId, Events.FILE_UPLOADED, null, described.createdAt(),
                    Map.of("file", FileView.of(described)), described.id());
            return described;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /// Copies `in` to `out` (closing `out`), refusing more than `limit` bytes; returns how many.
    public static long copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (out) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > limit) {
                    throw new TooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    private static CsvFile describe(Path file, String id, String appId, String name, long size, String sha)
            throws IOException {
        try (InputStream in = Files.newInputStream(file); CsvInput csv = CsvInput.open(in, CsvInput.Options.detect())) {
            long rows = 0;
            while (csv.next() != null) {
                rows++;
            }
            return new CsvFile(id, appId, name, size, sha, rows, List.copyOf(csv.header()), String.valueOf(csv.delimiter()),
                    csv.encoding(), "csv", CsvFile.Role.UPLOAD, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        }
    }

    public Optional<CsvFile> find(String appId, String id) {
        return store.find(appId, id);
    }

    /// The first `rows` data rows of a CSV or TSV file, read as it was described (its delimiter
    /// and encoding); empty for other formats and for a file this node cannot find.
    public List<List<String>> preview(CsvFile f, int rows) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (CsvInput in = open(f).orElse(null)) {
            CsvInput.Row row;
            while (in != null && out.size() < rows && (row = in.next()) != null) {
                out.add(row.fields());
            }
        }
        return out;
    }

    /// A CSV or TSV file's rows, read as it was described (its delimiter and encoding); empty
    /// for other formats and for a file this node cannot find. The caller closes it.
    public Optional<CsvInput> open(CsvFile f) throws IOException {
        if (!f.format().equals("csv") && !f.format().equals("tsv")) {
            return Optional.empty();
        }
        Path p = local(f);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        Charset charset;
        try {
            charset = Charset.forName(f.encoding());
        } catch (IllegalArgumentException unknown) {
            charset = null; // detected again, as when it was described
        }
        CsvInput.Options options = new CsvInput.Options(f.delimiter() == null || f.delimiter().isEmpty() ? null
                : f.delimiter().charAt(0), charset, CsvInput.Options.detect().fallback());
        return Optional.of(CsvInput.open(Files.newInputStream(p), options));
    }

    /// The application's files; `jobId` keeps those a job wrote.
    public Page<CsvFile> list(String appId, PageRequest page, String jobId) {
        return store.list(appId, page, jobId);
    }

    /// Where a file's bytes are: an upload directly under its application, what a job wrote in
    /// the job's own directory.
    public Path path(CsvFile f) {
        return f.jobId() == null ? root.resolve(f.appId()).resolve(f.id() + ".csv")
                : jobDir(f.appId(), f.jobId()).resolve(f.id() + "." + f.format());
    }

    /// Where a file's bytes are on this node, copied there first from the database when another
    /// node stored them; the path may not exist when neither has them.
    public Path local(CsvFile f) throws IOException {
        Path p = path(f);
        if (Files.exists(p) || shared == null) {
            return p;
        }
        OwnerOnly.directory(p.getParent());
        Path partial = OwnerOnly.file(p.resolveSibling(p.getFileName() + "." + ids.next("tmp_") + ".partial"));
        try {
            boolean found;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                found = shared.copyTo(f.id(), out);
            }
            if (found) {
                Files.move(partial, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return p;
    }

    /// Keeps a finished file's bytes in the database too, when nodes share one but not a disk.
    public void share(CsvFile f) throws IOException {
        if (shared != null) {
            try (InputStream in = Files.newInputStream(path(f))) {
                shared.put(f.appId(), f.id(), in);
            }
        }
    }

    /// Where an upload in a multipart form is spooled while it is read: beside the stored files,
    /// owner-only.
    public Path spoolDirectory() throws IOException {
        return OwnerOnly.directory(root.resolveSibling("tmp"));
    }

    /// The directory a job writes its outputs in.
    public Path jobDir(String appId, String jobId) {
        return root.resolve(appId).resolve(jobId);
    }

    /// Removes a job's directory and everything in it (what an interrupted or failed run left).
    public void clearJobDir(String appId, String jobId) throws IOException {
        deleteTree(jobDir(appId, jobId));
    }

    public void delete(CsvFile f) throws IOException {
        store.delete(f.appId(), f.id());
        Files.deleteIfExists(path(f));
        if (shared != null) {
            shared.delete(f.id()); // other nodes' copies stay until their application goes
        }
    }

    /// Removes every file of a deleted application (its rows went with it).
    public void deleteAll(String appId) throws IOException {
        deleteTree(root.resolve(appId));
        if (shared != null) {
            shared.deleteApp(appId);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }


}
