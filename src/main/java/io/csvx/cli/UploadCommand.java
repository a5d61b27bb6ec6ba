package io.csvx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `csvx upload`: sends a CSV file to a running server, with a progress bar; with `--wait`,
/// follows the jobs the upload started to their end and says where their outputs are.
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Upload a CSV file to a running CSV-X server; optionally run a pipeline on it and wait for its jobs.")
final class UploadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--app", required = true, description = "Application id or uid.")
    String app;

    @Option(names = "--pipeline", description = "Pipeline id or uid to run on the file (besides any whose trigger matches).")
    String pipeline;

    @Option(names = "--dataset", description = "Dataset id or uid the file becomes the next version of (besides any whose match its name matches).")
    String dataset;

    @Option(names = "--wait", description = "Wait for the jobs the upload started, showing their progress.")
    boolean await;

    @Option(names = {"-o", "--output-dir"}, description = "Download the jobs' outputs into this directory (implies --wait).")
    Path outputDir;

    @Option(names = "--name", description = "The file's name on the server. Default: the file's own name.")
    String name;

    @Option(names = "--url", defaultValue = "${env:CSVX_URL}", description = "The server, e.g. http://127.0.0.1:8071 (CSVX_URL). Default: 127.0.0.1 at --port.")
    String url;

    @Option(names = "--port", defaultValue = "${env:CSVX_PORT:-8071}", description = "The local server's port, when --url is not given (CSVX_PORT). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--token", defaultValue = "${env:CSVX_TOKEN}", description = "Admin token (CSVX_TOKEN). Default: the one in --data-dir.")
    String token;

    @Option(names = "--data-dir", defaultValue = "${env:CSVX_DATA_DIR:-./csvx-data}", description = "Where a local server keeps its admin token (CSVX_DATA_DIR). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean live = System.console() != null;
        try (ServerClient server = new ServerClient(url != null ? url : "http://127.0.0.1:" + port, token())) {
            String appPath = "/api/v1/app/" + ServerClient.encode(app);
            long size = Files.size(file);
            String fileName = name != null ? name : file.getFileName().toString();
            ProgressBar bar = new ProgressBar(out, live, "upload");
            JsonNode f;
            try (InputStream in = new Counting(Files.newInputStream(file), n -> bar.update(n, size,
                    ProgressBar.bytes(n) + " of " + ProgressBar.bytes(size)))) {
                f = server.upload(appPath + "/file?name=" + ServerClient.encode(fileName)
                        + (pipeline == null ? "" : "&pipeline=" + ServerClient.encode(pipeline))
                        + (dataset == null ? "" : "&dataset=" + ServerClient.encode(dataset)), in);
            }
            bar.finish(size, size, ProgressBar.bytes(size) + " sent");
            out.printf(Locale.ROOT, "Uploaded %s as %s: %d rows, %d columns, delimiter '%s', %s%n", f.path("name").asText(),
                    f.path("id").asText(), f.path("rows").asLong(), f.path("columns").size(),
                    f.path("delimiter").asText().replace("\t", "\\t"), f.path("encoding").asText());
            List<JsonNode> jobs = new ArrayList<>();
            server.get(appPath + "/job?fileId=" + f.path("id").asText()).path("data").forEach(jobs::add);
            if (jobs.isEmpty()) {
                if (await || outputDir != null) {
                    out.println("No job runs on this file: give --pipeline, or save a pipeline whose trigger matches its name"
                            + " (a dataset's first version has nothing to be compared with).");
                }
                return 0;
            }
            if (!await && outputDir == null) {
                for (JsonNode j : jobs) {
                    out.printf("Started %s (%s); follow it at %s or upload with --wait%n", j.path("id").asText(),
                            j.hasNonNull("datasetId") ? "diff for dataset " + j.path("datasetId").asText()
                                    : "pipeline " + j.path("pipelineId").asText(),
                            server.url(appPath + "/job/" + j.path("id").asText()));
                }
                return 0;
            }
            int exit = 0;
            for (JsonNode j : jobs) {
                exit = Math.max(exit, follow(server, appPath, j, f.path("rows").asLong(), out, live));
            }
            return exit;
        } catch (NoSuchFileException e) {
            err.println("csvx upload: no such file: " + e.getFile());
            return 2;
        } catch (IOException | IllegalStateException e) {
            err.println("csvx upload: " + e.getMessage());
            return 1;
        }
    }

    /// Polls a job to its end with a progress bar, then reports it and its outputs; non-zero when it did not complete.
    private int follow(ServerClient server, String appPath, JsonNode job, long fileRows, PrintWriter out, boolean live)
            throws IOException {
        String id = job.path("id").asText();
        ProgressBar bar = new ProgressBar(out, live, "job");
        JsonNode j = job;
        while (!List.of("completed", "failed", "cancelled").contains(j.path("status").asText())) {
            bar.update(j.path("rowsRead").asLong(), fileRows, j.path("status").asText() + ", "
                    + j.path("rowsRead").asLong() + " of " + fileRows + " rows");
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            j = server.get(appPath + "/job/" + id);
        }
        String status = j.path("status").asText();
        bar.finish(status.equals("completed") ? fileRows : j.path("rowsRead").asLong(), fileRows, status);
        if (!status.equals("completed")) {
            String line = j.path("errorLine").isNumber() ? " at line " + j.path("errorLine").asLong() : "";
            out.printf("Job %s %s%s: %s%n", id, status, line, j.path("error").asText());
            return 1;
        }
        if (j.hasNonNull("datasetId")) {
            out.printf("Job %s compared the dataset's versions: %s%n", id, j.path("result").path("sentence").asText());
        } else {
            out.printf(Locale.ROOT, "Job %s completed: %d rows read, %d written, %d filtered out, %d rejected%n", id,
                    j.path("rowsRead").asLong(), j.path("rowsWritten").asLong(), j.path("rowsSkipped").asLong(),
                    j.path("rowsRejected").asLong());
        }
        List<String> files = new ArrayList<>();
        j.path("outputFileIds").forEach(n -> files.add(n.asText()));
        if (j.hasNonNull("rejectsFileId")) {
            files.add(j.path("rejectsFileId").asText());
        }
        for (String fileId : files) {
            JsonNode f = server.get(appPath + "/file/" + fileId);
            String where = server.url(appPath + "/file/" + fileId + "/content");
            if (outputDir != null) {
                Files.createDirectories(outputDir);
                Path target = outputDir.resolve(Path.of(f.path("name").asText()).getFileName());
                server.download(appPath + "/file/" + fileId + "/content", target);
                where = target.toString();
            }
            long rows = f.path("rows").asLong();
            out.printf(Locale.ROOT, "  %-8s %s  %d %s, %s  %s%n", f.path("role").asText(), f.path("name").asText(),
                    rows, rows == 1 ? "row" : "rows", ProgressBar.bytes(f.path("size").asLong()), where);
        }
        return 0;
    }

    private String token() throws IOException {
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        Path stored = dataDir.resolve("admin-token");
        if (Files.exists(stored)) {
            return Files.readString(stored, StandardCharsets.UTF_8).trim();
        }
        throw new IllegalStateException("no admin token: give --token (or CSVX_TOKEN), or --data-dir of the server");
    }

    /// Counts bytes as they are read, to drive the upload's progress bar.
    private static final class Counting extends FilterInputStream {
        private final LongConsumer onRead;
        private long total;

        Counting(InputStream in, LongConsumer onRead) {
            super(in);
            this.onRead = onRead;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                onRead.accept(++total);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                total += n;
                onRead.accept(total);
            }
            return n;
        }
    }
}
