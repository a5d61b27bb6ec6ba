package io.csvx.cli;

import io.csvx.csv.Converter;
import io.csvx.csv.CsvFormatException;
import io.csvx.csv.CsvInput;
import io.csvx.csv.Format;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/// `csvx convert`: CSV to JSON, NDJSON, XML, CSV or TSV, offline and streaming.
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a CSV file (or - for standard input) to json, ndjson, xml, csv or tsv. No server needed.")
final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--to", required = true, description = "Output format: json, ndjson, xml, csv, tsv.")
    String to;

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
        try {
            format = Format.parse(to);
            options = new CsvInput.Options(delimiter(delimiter), encoding == null ? null : Charset.forName(encoding),
                    Charset.forName(fallback));
        } catch (IllegalArgumentException e) {
            System.err.println("csvx convert: " + e.getMessage());
            return 2;
        }
        boolean toFile = output != null && !output.equals("-");
        Path target = toFile ? Path.of(output).toAbsolutePath() : null;
        Path partial = toFile ? target.resolveSibling(target.getFileName() + ".partial") : null;
        try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input));
             OutputStream out = toFile ? new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)
                     : new BufferedOutputStream(System.out, 1 << 16)) {
            Converter.Result r = Converter.convert(in, options, out, format, inferTypes);
            out.flush();
            if (toFile) {
                out.close();
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            System.err.printf("converted %,d rows x %d columns (delimiter %s, %s) to %s%n", r.rows(), r.columns(),
                    show(r.delimiter()), r.encoding(), toFile ? output : format.name().toLowerCase());
            return 0;
        } catch (CsvFormatException e) {
            System.err.println("csvx convert: " + input + ": " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            System.err.println("csvx convert: no such file: " + e.getFile());
            return 1;
        } finally {
            if (toFile) {
                Files.deleteIfExists(partial); // a failed conversion leaves no half-written output
            }
        }
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
