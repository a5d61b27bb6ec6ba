package io.csvx.cli;

import io.csvx.csv.CsvDiff;
import io.csvx.csv.CsvFormatException;
import io.csvx.csv.CsvInput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/// `csvx diff`: two versions of a CSV file compared by key, offline and streaming.
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two versions of a CSV file by key: the rows added, removed and changed (with the"
                + " columns that changed, old and new values). No server needed.")
final class DiffCommand implements Callable<Integer> {
    @Option(names = "--key", required = true, split = ",", description = "The column(s) that identify a row, comma-separated.")
    List<String> key;

    @Option(names = "--format", defaultValue = "csv", description = "csv (key…,change,column,old,new: a line per changed"
            + " column), ndjson (a line per changed row) or json (the summary alone). Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = {"-o", "--output"}, description = "Output file. Default: standard output.")
    String output;

    @Option(names = "--fallback-encoding", defaultValue = "windows-1252", description = "Encoding of files that are not UTF-8. Default: ${DEFAULT-VALUE}")
    String fallback;

    @Option(names = "--rows-in-memory", defaultValue = "" + CsvDiff.ROWS_IN_MEMORY, hidden = true,
            description = "Rows held in memory before versions are partitioned on disk.")
    int rowsInMemory;

    @Parameters(index = "0", paramLabel = "OLD", description = "The earlier version.")
    Path older;

    @Parameters(index = "1", paramLabel = "NEW", description = "The later version.")
    Path newer;

    @Override
    public Integer call() throws IOException {
        boolean summaryOnly = format.equalsIgnoreCase("json");
        CsvDiff.Format changes;
        CsvDiff.Options options;
        try {
            changes = switch (format.toLowerCase(Locale.ROOT)) {
                case "json" -> null; // the summary alone
                case "csv" -> CsvDiff.Format.CSV;
                case "ndjson" -> CsvDiff.Format.NDJSON;
                default -> throw new IllegalArgumentException("--format is csv, ndjson or json, not '" + format + "'");
            };
            if (rowsInMemory < 1) {
                throw new IllegalArgumentException("--rows-in-memory must be 1 or more");
            }
            Path temp = output != null && !output.equals("-")
                    ? Path.of(output).toAbsolutePath().getParent() : Path.of(System.getProperty("java.io.tmpdir"));
            options = new CsvDiff.Options(new CsvInput.Options(null, null, Charset.forName(fallback)), rowsInMemory, temp);
        } catch (IllegalArgumentException e) {
            System.err.println("csvx diff: " + e.getMessage());
            return 2;
        }
        CsvDiff.Format chosen = changes;
        boolean toFile = output != null && !output.equals("-");
        // standard output cannot start afresh: the changes go to a file first, then there
        OutputFile file = new OutputFile(toFile ? Path.of(output)
                : Files.createTempFile("csvx-diff-", summaryOnly ? ".json" : "." + format.toLowerCase(Locale.ROOT)));
        try {
            CsvDiff.Target target = () -> summaryOnly ? CsvDiff.Sink.NONE : CsvDiff.writer(chosen, file.open(), key);
            CsvDiff.Summary s = CsvDiff.diff(() -> Files.newInputStream(older), () -> Files.newInputStream(newer), key,
                    options, target);
            if (summaryOnly) {
                try (OutputStream out = file.open()) {
                    out.write(CsvDiff.toJson(s).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            if (toFile) {
                file.commit();
            } else {
                Files.copy(file.partial(), System.out);
                System.out.flush();
            }
            System.err.println(older.getFileName() + " -> " + newer.getFileName() + ": " + s.sentence());
            return 0;
        } catch (CsvDiff.Unusable e) {
            Path which = e.version() == CsvDiff.Version.OLD ? older : newer;
            String message = e.getCause() instanceof CsvFormatException f
                    ? CsvInput.locate(f, which).getMessage() : e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
            System.err.println("csvx diff: " + which + ": " + message);
            return 1;
        } catch (NoSuchFileException e) {
            System.err.println("csvx diff: no such file: " + e.getFile());
            return 1;
        } finally {
            file.discard();
            if (!toFile) {
                Files.deleteIfExists(file.target());
            }
        }
    }
}
