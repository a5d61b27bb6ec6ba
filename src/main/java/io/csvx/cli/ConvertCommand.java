package io.csvx.cli;

import io.csvx.csv.Converter;
import io.csvx.csv.CsvFormatException;
import io.csvx.csv.CsvInput;
import io.csvx.pipeline.Format;
import io.csvx.pipeline.Pipeline;
import io.csvx.pipeline.PipelineException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/// `csvx convert`: CSV to JSON, NDJSON, XML, CSV or TSV, offline and streaming.
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a CSV file (or - for standard input) to json, ndjson, xml, csv or tsv. No server needed.")
final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--to", description = "Output format: json, ndjson, xml, csv, tsv. Default: the pipeline's output.format.")
    String to;

    @Option(names = "--pipeline", description = "A pipeline definition (JSON) to run on the rows.")
    Path pipelineFile;

    @Option(names = "--rejects", description = "Where rows that fail validation go, as CSV with their line and reason. Default: OUTPUT.rejects.csv with -o, else none (they are counted).")
    String rejectsFile;

    @Option(names = "--delimiter", description = "Input delimiter: , ; | or tab. Default: sniffed from the file.")
    String delimiter;

    @Option(names = "--encoding", description = "Input encoding, e.g. UTF-8 or windows-1252. Default: from a BOM, else UTF-8 if the bytes are, else --fallback-encoding.")
    String encoding;

    @Option(names = "--fallback-encoding", defaultValue = "windows-1252", description = "Encoding of files that are not UTF-8. Default: ${DEFAULT-VALUE}")
    String fallback;

    @Option(names = "--infer-types", description = "JSON only: write integers, decimals and booleans as JSON values, empty as null.")
    boolean inferTypes;

    @Option(names = {"-o", "--output"}, description = "Output file. Default: standard output.")
    String output;

    @Parameters(index = "0", paramLabel = "INPUT", description = "The CSV file, or - for standard input.")
    String input;

    @Override
    public Integer call() throws IOException {
        Format format;
        CsvInput.Options options;
        Pipeline pipeline = null;
        try {
            if (pipelineFile != null) {
                pipeline = Pipeline.parse(Files.readString(pipelineFile));
            }
            String formatName = to != null ? to : pipeline != null ? pipeline.outputFormat() : null;
            if (formatName == null) {
                throw new IllegalArgumentException("say --to json|ndjson|xml|csv|tsv (or give a pipeline with output.format)");
            }
            format = Format.parse(formatName);
            options = new CsvInput.Options(delimiter(delimiter), encoding == null ? null : Charset.forName(encoding),
                    Charset.forName(fallback));
        } catch (IllegalArgumentException | PipelineException e) {
            System.err.println("csvx convert: " + (e instanceof PipelineException ? pipelineFile + ": " : "") + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            System.err.println("csvx convert: no such file: " + e.getFile());
            return 2;
        }
        boolean toFile = output != null && !output.equals("-");
        int split = pipeline == null ? 0 : pipeline.split();
        if (split > 0 && !toFile) {
            System.err.println("csvx convert: the pipeline splits its output into files: give -o OUTPUT");
            return 2;
        }
        List<OutputFile> written = new ArrayList<>();
        Converter.Outputs outputs = chunk -> {
            OutputFile o = new OutputFile(split > 0 ? chunkPath(Path.of(output), chunk) : Path.of(output));
            written.add(o);
            return o.open();
        };
        String rejectsPath = rejectsFile != null ? rejectsFile : toFile && pipeline != null ? output + ".rejects.csv" : null;
        OutputFile rejects = rejectsPath != null ? new OutputFile(Path.of(rejectsPath)) : null;
        try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input));
             OutputStream stdout = toFile ? null : new BufferedOutputStream(System.out, 1 << 16);
             OutputStream rej = rejects != null ? rejects.open() : null) {
            Converter.Result r = toFile
                    ? Converter.convert(in, options, outputs, format, inferTypes, pipeline, rej, Converter.Listener.NONE)
                    : Converter.convert(in, options, stdout, format, inferTypes, pipeline, rej);
            for (OutputFile o : written) {
                o.commit();
            }
            if (rejects != null) {
                rej.close();
                if (r.rowsRejected() > 0) {
                    rejects.commit();
                }
            }
            String where = !toFile ? format.name().toLowerCase(Locale.ROOT)
                    : written.size() > 1 ? written.size() + " files " + written.getFirst().target().getFileName() + " …"
                    : output;
            System.err.printf("read %,d rows x %d columns (delimiter %s, %s); wrote %,d to %s%s%s%n", r.rowsRead(),
                    r.columns(), show(r.delimiter()), r.encoding(), r.rowsWritten(), where,
                    r.rowsSkipped() > 0 ? "; filtered out " + String.format("%,d", r.rowsSkipped()) : "",
                    r.rowsRejected() > 0 ? "; rejected " + String.format("%,d", r.rowsRejected())
                            + (rejects != null ? " (see " + rejectsPath + ")" : "") : "");
            return 0;
        } catch (CsvFormatException e) {
            CsvFormatException located = input.equals("-") ? e : CsvInput.locate(e, Path.of(input));
            System.err.println("csvx convert: " + input + ": " + located.getMessage());
            return 1;
        } catch (PipelineException e) {
            System.err.println("csvx convert: " + pipelineFile + ": " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            System.err.println("csvx convert: no such file: " + e.getFile());
            return 1;
        } finally {
            for (OutputFile o : written) {
                o.discard();
            }
            if (rejects != null) {
                rejects.discard();
            }
        }
    }

    /// `out.ndjson` becomes `out-00001.ndjson`, `out-00002.ndjson`, …
    static Path chunkPath(Path output, int chunk) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = String.format("%s-%05d%s", dot > 0 ? name.substring(0, dot) : name, chunk,
                dot > 0 ? name.substring(dot) : "");
        return output.resolveSibling(numbered);
    }

    static Character delimiter(String d) {
        if (d == null) {
            return null;
        }
        return switch (d) {
            case "tab", "\\t", "\t" -> '\t';
            case ",", ";", "|" -> d.charAt(0);
            default -> throw new IllegalArgumentException("unsupported delimiter '" + d + "' (use , ; | or tab)");
        };
    }

    private static String show(char c) {
        return c == '\t' ? "tab" : "'" + c + "'";
    }
}
