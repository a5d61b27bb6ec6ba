package io.csvx.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.csv.Converter;
import io.csvx.csv.CsvDiff;
import io.csvx.csv.CsvFormatException;
import io.csvx.csv.CsvInput;
import io.csvx.file.CsvFile;
import io.csvx.file.FileService;
import io.csvx.pipeline.Format;
import io.csvx.pipeline.Pipeline;
import io.csvx.pipeline.PipelineException;
import io.csvx.store.Ids;
import io.csvx.store.OwnerOnly;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/// One run of a job: converts its file through its pipeline into the job's directory, publishes
/// `records.batch` messages when the pipeline's output asks for them, and says how it ended; or,
/// for a dataset's diff, compares the older version with its file into one diff file.
/// Cancellation arrives as an interrupt of the running thread.
final class JobRun implements Converter.Listener {
    private final Job job;
    private CsvFile input;
    private final FileService files;
    private final Ids ids;
    private final JobEvents events;
    private final BooleanSupplier cancelled;
    private final Path dir;
    private final List<CsvFile> outputs = new ArrayList<>();
    private volatile long rowsRead;
    private Pipeline pipeline;
    private Format format;
    private List<String> header = List.of();
    private Written open;
    private List<List<String>> batch = new ArrayList<>();
    private List<String> firstRow;
    private long rowsOut;
    private int batchNumber;
    private long rowsDelivered;

    JobRun(Job job, CsvFile input, FileService files, Ids ids, JobEvents events, BooleanSupplier cancelled) {
        this.job = job;
        this.input = input;
        this.files = files;
        this.ids = ids;
        this.events = events;
        this.cancelled = cancelled;
        this.dir = files.jobDir(job.appId(), job.id());
    }

    /// The same run with its input, once a job that started from a URL has fetched it.
    JobRun withInput(CsvFile fetched) {
        this.input = fetched;
        return this;
    }

    /// Rows read so far, for the lease's progress report.
    long rowsRead() {
        return rowsRead;
    }

    JobStore.Finish run() {
        if (job.isDiff()) {
            return diff(DiffSpec.of(job));
        }
        try {
            files.clearJobDir(job.appId(), job.id()); // what an interrupted earlier run left
            OwnerOnly.directory(dir);
            pipeline = Pipeline.parse(job.definition());
            format = Format.parse(pipeline.outputFormat() == null ? "ndjson" : pipeline.outputFormat());
            Written rejects = new Written(ids.next("file_"), baseName() + ".rejects.csv", dir, "csv");
            Converter.Result r;
            try (InputStream in = Files.newInputStream(files.local(input)); rejects) {
                r = Converter.convert(in, CsvInput.Options.detect().withDelimiter(input.delimiter().charAt(0)),
                        this::openChunk, format, false, pipeline, rejects, this);
            }
            if (pipeline.deliverBatch() > 0) {
                flushBatch(true);
            }
            CsvFile rejected = null;
            if (r.rowsRejected() > 0) {
                List<String> columns = new ArrayList<>(List.of("line", "reason"));
                columns.addAll(input.columns());
                rejects.rows = r.rowsRejected();
                rejected = rejects.describe(columns, CsvFile.Role.REJECTS);
            } else {
                Files.deleteIfExists(rejects.path);
            }
            for (CsvFile out : outputs) {
                files.share(out);
            }
            if (rejected != null) {
                files.share(rejected);
            }
            return new JobStore.Finish(Job.Status.COMPLETED, r.rowsRead(), r.rowsWritten(), r.rowsSkipped(),
                    r.rowsRejected(), outputs, rejected, null, null, singleGroup());
        } catch (CsvFormatException e) {
            CsvFormatException located = CsvInput.locate(e, files.path(input));
            return failed(located.getMessage(), located.line() > 0 ? located.line() : null);
        } catch (PipelineException e) {
            return failed("pipeline: " + e.getMessage(), null);
        } catch (NoSuchFileException e) {
            return missing(e, "the bytes of input file " + input.id() + " are missing from this node's data dir");
        } catch (IOException | RuntimeException e) {
            return stopped(e);
        }
    }

    /// The older version against this job's input, by the dataset's key, streaming; the changes go
    /// to one file (written afresh when the versions turn out not to be in key order).
    private JobStore.Finish diff(DiffSpec spec) {
        CsvFile older = null;
        try {
            files.clearJobDir(job.appId(), job.id());
            OwnerOnly.directory(dir);
            older = files.find(job.appId(), spec.fromFileId()).orElse(null);
            if (older == null) {
                return failed("version " + spec.fromVersion() + "'s file " + spec.fromFileId() + " was deleted", null);
            }
            boolean ndjson = spec.format().equals("ndjson");
            String name = spec.datasetName().replace('/', '-').replace('\\', '-') + "-v" + spec.fromVersion() + "-v"
                    + spec.toVersion() + ".diff." + spec.format();
            Written[] last = new Written[1];
            CsvDiff.Target target = () -> {
                if (last[0] != null) {
                    Files.deleteIfExists(last[0].path); // a first reading in key order gave up
                }
                last[0] = new Written(ids.next("file_"), name, dir, spec.format());
                return CsvDiff.writer(ndjson ? CsvDiff.Format.NDJSON : CsvDiff.Format.CSV, last[0], spec.key());
            };
            Path before = files.local(older);
            Path after = files.local(input);
            CsvDiff.Summary s = CsvDiff.diff(() -> Files.newInputStream(before), () -> Files.newInputStream(after),
                    spec.key(), new CsvDiff.Options(CsvInput.Options.detect(), CsvDiff.ROWS_IN_MEMORY, dir), target);
            Written w = last[0];
            w.rows = s.added() + s.removed() + s.changed();
            List<String> columns = new ArrayList<>(spec.key());
            columns.addAll(ndjson ? List.of() : List.of("change", "column", "old", "new"));
            CsvFile out = w.describe(ndjson ? List.of("key", "change", "columns") : columns, CsvFile.Role.OUTPUT);
            files.share(out);
            long read = 2 * s.unchanged() + 2 * s.changed() + s.added() + s.removed();
            return new JobStore.Finish(Job.Status.COMPLETED, read, w.rows, 0, 0, List.of(out), null, null, null,
                    CsvDiff.toJson(s));
        } catch (CsvDiff.Unusable e) {
            boolean old = e.version() == CsvDiff.Version.OLD;
            CsvFile which = old ? older : input;
            String why = e.getMessage().substring(e.version().label().length() + 2);
            long line = e.line();
            if (e.getCause() instanceof CsvFormatException f) {
                CsvFormatException located = CsvInput.locate(f, files.path(which));
                why = located.getMessage();
                line = located.line();
            }
            return failed("version " + (old ? spec.fromVersion() : spec.toVersion()) + " (" + which.name() + ", "
                    + which.id() + "): " + why, line > 0 ? line : null);
        } catch (NoSuchFileException e) {
            return missing(e, "the bytes of file " + e.getFile() + " are missing from this node's data dir");
        } catch (IOException | RuntimeException e) {
            return stopped(e);
        }
    }

    /// A run that threw: cancelled when its cancellation was asked for (the interrupt is what
    /// threw), else failed with what was thrown.
    private JobStore.Finish stopped(Exception e) {
        if (cancelled.getAsBoolean()) {
            clear();
            return new JobStore.Finish(Job.Status.CANCELLED, rowsRead, written(), 0, 0, List.of(), null, "cancelled", null);
        }
        return failed(e.getMessage() == null ? e.toString() : e.getMessage(), null);
    }

    /// A run whose file was missing: cancelled when its cancellation was asked for (its
    /// application's files went with the application), else failed with `error`.
    private JobStore.Finish missing(NoSuchFileException e, String error) {
        return cancelled.getAsBoolean() ? stopped(e) : failed(error, null);
    }

    private JobStore.Finish failed(String error, Long line) {
        clear();
        return new JobStore.Finish(Job.Status.FAILED, rowsRead, written(), 0, 0, List.of(), null, error, line);
    }

    private long written() {
        return outputs.stream().mapToLong(CsvFile::rows).sum() + (open == null ? 0 : open.rows);
    }

    /// Outputs of a failed or cancelled run are not kept.
    private void clear() {
        try {
            if (open != null) {
                open.close();
            }
            files.clearJobDir(job.appId(), job.id());
        } catch (IOException ignored) {
            // the next run, or deleting the application, clears the directory
        }
    }

    private OutputStream openChunk(int chunk) throws IOException {
        String id = ids.next("file_");
        String ext = format.name().toLowerCase(Locale.ROOT);
        String name = pipeline.split() > 0 ? String.format("%s-%05d.%s", baseName(), chunk, ext) : baseName() + "." + ext;
        Written w = new Written(id, name, dir, ext) {
            @Override
            void closed() {
                outputs.add(describe(header, CsvFile.Role.OUTPUT));
                open = null;
            }
        };
        open = w;
        return w;
    }

    private String baseName() {
        String n = input.name();
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    @Override
    public void header(List<String> h) {
        header = List.copyOf(h);
    }

    /// With `aggregate` and one group written: `{"aggregate": {column: value, …}}`, which alerts
    /// may name; else null.
    private String singleGroup() {
        if (!pipeline.aggregates() || rowsOut != 1) {
            return null;
        }
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        ObjectNode group = values.putObject("aggregate");
        for (int i = 0; i < header.size(); i++) {
            group.put(header.get(i), firstRow.get(i));
        }
        return values.toString();
    }

    @Override
    public void row(long line, List<String> fields) {
        open.rows++;
        if (rowsOut++ == 0 && pipeline.aggregates()) {
            firstRow = List.copyOf(fields);
        }
        if (pipeline.deliverBatch() > 0) {
            if (batch.size() == pipeline.deliverBatch()) {
                flushBatch(false); // held until now, so that the last batch can say it is the last
            }
            batch.add(List.copyOf(fields));
        }
    }

    @Override
    public void progress(long read) {
        rowsRead = read;
        if (cancelled.getAsBoolean()) {
            Thread.currentThread().interrupt(); // the converter stops at its next hand-off
        }
    }

    /// Publishes the rows held; the last batch carries `final: true` (and is empty only when no
    /// row was written at all).
    private void flushBatch(boolean last) {
        batchNumber++;
        events.records(job, batchNumber, rowsDelivered + 1, header, batch, last);
        rowsDelivered += batch.size();
        batch = new ArrayList<>();
    }

    /// A file being written in the job's directory, with its size and SHA-256 computed on the way.
    private class Written extends FilterOutputStream {
        final String id;
        final String name;
        final String format;
        final Path path;
        final MessageDigest sha;
        long size;
        long rows;
        private boolean closed;

        Written(String id, String name, Path dir, String format) throws IOException {
            super(null);
            this.id = id;
            this.name = name;
            this.format = format;
            this.path = dir.resolve(id + "." + format);
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            this.out = new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(OwnerOnly.file(path)), sha),
                    1 << 16);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            size += len;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                super.close();
                closed();
            }
        }

        void closed() {
        }

        CsvFile describe(List<String> columns, CsvFile.Role role) {
            return new CsvFile(id, job.appId(), name, size, HexFormat.of().formatHex(sha.digest()), rows, columns,
                    format.equals("csv") ? "," : format.equals("tsv") ? "\t" : "", "UTF-8", format, role, job.id(),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
        }
    }
}
