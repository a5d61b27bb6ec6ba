package io.csvx.csv;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// A CSV stream read row by row: encoding and delimiter detected (or given), the first row taken
/// as the header, and every problem reported with its line. Memory stays flat whatever the size.
public final class CsvInput implements AutoCloseable {
    private static final int SAMPLE = 64 * 1024;

    /// How to read: a null `delimiter` is sniffed; a null `encoding` is detected from a BOM or
    /// the bytes, with `fallback` for files that are not UTF-8 (legacy 8-bit files).
    public record Options(Character delimiter, Charset encoding, Charset fallback) {
        public static Options detect() {
            return new Options(null, null, Charset.forName("windows-1252"));
        }

        public Options withDelimiter(Character d) {
            return new Options(d, encoding, fallback);
        }
    }

    /// A data row and the line it starts on (1-based; the header is line 1 or later).
    public record Row(long line, List<String> fields) {
    }

    private final CsvReader<CsvRecord> reader;
    private final Iterator<CsvRecord> records;
    private final List<String> header;
    private final char delimiter;
    private final String encoding;
    private final Charset charset;
    private long lastLine;

    private CsvInput(InputStream raw, Options options) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, SAMPLE);
        Sniffed sniffed = sniff(in, options);
        Sniffer.Encoding detected = sniffed.encoding();
        this.encoding = detected.name();
        this.charset = detected.charset();
        this.delimiter = sniffed.delimiter();
        var decoder = detected.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        this.reader = CsvReader.builder()
                .fieldSeparator(delimiter)
                .quoteCharacter('"')
                .skipEmptyLines(true)
                // field counts are checked here, where the record's starting line is known
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .allowUnclosedQuote(false)
                .detectBomHeader(false)
                .ofCsvRecord(new InputStreamReader(in, decoder));
        this.records = reader.iterator();
        CsvRecord first = advance();
        if (first == null) {
            reader.close();
            throw new CsvFormatException(0, "the file is empty: a header row is needed");
        }
        this.header = first.getFields();
    }

    /// A stream's encoding and delimiter, as given or guessed from its first bytes.
    record Sniffed(Sniffer.Encoding encoding, char delimiter) {
    }

    /// Reads `in`'s first bytes to find its encoding and delimiter, then skips its BOM: `in` is
    /// left at the first byte of the text.
    static Sniffed sniff(BufferedInputStream in, Options options) throws IOException {
        in.mark(SAMPLE);
        byte[] sample = in.readNBytes(SAMPLE);
        in.reset();
        Sniffer.Encoding detected = options.encoding() == null
                ? Sniffer.encoding(sample, sample.length, options.fallback())
                : declared(options.encoding(), sample);
        in.skipNBytes(detected.bomLength());
        char delimiter = options.delimiter() != null ? options.delimiter()
                : Sniffer.delimiter(new String(sample, detected.bomLength(), sample.length - detected.bomLength(),
                        detected.charset()));
        return new Sniffed(detected, delimiter);
    }

    /// Opens a stream; throws [CsvFormatException] for an empty file or a broken header.
    public static CsvInput open(InputStream in, Options options) throws IOException {
        return new CsvInput(Objects.requireNonNull(in), options);
    }

    private static Sniffer.Encoding declared(Charset charset, byte[] sample) {
        Sniffer.Encoding fromBom = Sniffer.encoding(sample, sample.length, charset);
        // a BOM is honoured and skipped; otherwise the declared charset is taken as it is
        return fromBom.bomLength() > 0 ? fromBom : new Sniffer.Encoding(charset, 0, charset.name());
    }

    public List<String> header() {
        return header;
    }

    public char delimiter() {
        return delimiter;
    }

    public String encoding() {
        return encoding;
    }

    /// The next data row, or null at the end.
    public Row next() {
        CsvRecord r = advance();
        if (r == null) {
            return null;
        }
        if (r.getFieldCount() != header.size()) {
            throw CsvFormatException.fieldCount(r.getStartingLineNumber(), r.getFieldCount(), header.size());
        }
        return new Row(r.getStartingLineNumber(), r.getFields());
    }

    private CsvRecord advance() {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CsvRecord r = records.next();
            lastLine = r.getStartingLineNumber();
            return r;
        } catch (CsvParseException e) {
            throw parseError(e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new CsvFormatException(lastLine + 1, "bytes that are not valid " + encoding
                        + " (its first 64 KiB were, so it was not taken for a legacy 8-bit file)", charset);
            }
            throw e;
        }
    }

    private CsvFormatException parseError(CsvParseException e) {
        String detail = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
        long line = lineOf(e.getMessage(), lastLine + 1);
        String lower = detail.toLowerCase(Locale.ROOT);
        if (lower.contains("after closing quote")) {
            Matcher c = Pattern.compile("'(.)'").matcher(detail);
            return new CsvFormatException(line, Utf8Rows.afterClosingQuote(c.find() ? c.group(1).charAt(0) : '?'));
        }
        if (lower.contains("unclosed") || lower.contains("unterminated") || lower.contains("quote")) {
            return new CsvFormatException(line, "unterminated quoted field (a \" is opened and never closed)");
        }
        return new CsvFormatException(line, detail);
    }

    /// FastCSV names the line in its messages ("... starting at line 7"); use it when present.
    private static long lineOf(String message, long fallback) {
        if (message == null) {
            return fallback;
        }
        var m = Pattern.compile("line (\\d+)").matcher(message);
        return m.find() ? Long.parseLong(m.group(1)) : fallback;
    }

    /// For an error about undecodable bytes, the same error at its exact line, found by decoding
    /// `file` again up to the first bad byte (the reader decodes ahead, so it only knows roughly);
    /// any other error as it is. Costs a second read, on the error path only.
    public static CsvFormatException locate(CsvFormatException e, Path file) {
        if (e.undecodable() == null) {
            return e;
        }
        var decoder = e.undecodable().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        long line = 1;
        boolean afterCr = false;
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        CharBuffer chars = CharBuffer.allocate(1 << 16);
        try (InputStream in = Files.newInputStream(file)) {
            boolean eof = false;
            while (!eof) {
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                eof = n < 0;
                bytes.position(bytes.position() + Math.max(n, 0)).flip();
                CoderResult result = decoder.decode(bytes, chars, eof);
                chars.flip();
                while (chars.hasRemaining()) {
                    char c = chars.get();
                    if (c == '\n' && !afterCr || c == '\r') {
                        line++;
                    }
                    afterCr = c == '\r';
                }
                chars.clear();
                if (result.isError()) {
                    return new CsvFormatException(line, e.detail());
                }
                bytes.compact();
            }
            return e;
        } catch (IOException io) {
            return e;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
