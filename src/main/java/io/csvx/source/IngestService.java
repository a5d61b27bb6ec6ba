package io.csvx.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.csvx.csv.CsvFormatException;
import io.csvx.file.FileService;
import io.csvx.job.Job;
import io.csvx.job.JobService;
import io.csvx.job.PipelineDefinition;
import io.csvx.job.PipelineService;
import io.csvx.message.Events;
import io.csvx.message.Message;
import io.csvx.message.Publisher;
import io.csvx.net.TokenBucket;
import io.csvx.store.Ids;
import io.csvx.store.OwnerOnly;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;

/// Receives a request for a source: verifies it while streaming its body to a temporary file,
/// drops a duplicate, stores it, then acts (publishes a message, or stores a CSV body as a file
/// and queues the pipeline's job, or queues a job that fetches the file at a URL the body names)
/// before answering. Every request is logged, verified or not, with what it triggered.
public final class IngestService {
    /// Refused requests a source logs per second, sustained, and at once: past them a refusal is
    /// answered 429 and not logged (the request log keeps the last [#REJECTED_KEPT] per source).
    static final double REFUSALS_PER_SECOND = 5;
    static final double REFUSAL_BURST = 50;
    /// Rejected requests each source's log keeps; older ones go at the hourly purge.
    public static final int REJECTED_KEPT = 1000;
    /// What a rejected request's log entry keeps: its headers up to this many bytes, its body up to
    /// [#REJECTED_BODY] bytes.
    static final int REJECTED_HEADERS = 2048;
    static final int REJECTED_BODY = 1024;
    /// How long a claimed key waits for its request's action before a repeat may take it over:
    /// the node handling it may have died.
    private static final Duration STALE_CLAIM = Duration.ofMinutes(5);
    /// How long received requests are kept (and so the longest deduplication window).
    public static final Duration REQUEST_RETENTION = Duration.ofDays(30);
    /// Headers kept out of the request log because they carry credentials.
    /// What a refused request is told to bring: a signature, or for `basic` a password.
    private static final String SIGNATURE = "Signature realm=\"csvx\"";
    private static final String BASIC = "Basic realm=\"csvx\"";
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private final SourceStore sources;
    private final Clock clock;
    private final Cache<String, TokenBucket> refusals = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();
    private final PipelineService pipelines;
    private final FileService files;
    private final JobService jobs;
    private final Publisher publisher;
    private final Ids ids;
    private final Path tmp;
    private final long maxPayload;
    private final long maxUpload;
    private final ObjectMapper json = new ObjectMapper();

    public IngestService(SourceStore sources, PipelineService pipelines, FileService files, JobService jobs,
                         Publisher publisher, Ids ids, Path tmp, long maxPayload, long maxUpload, Clock clock) {
        this.sources = sources;
        this.clock = clock;
        this.pipelines = pipelines;
        this.files = files;
        this.jobs = jobs;
        this.publisher = publisher;
        this.ids = ids;
        this.tmp = tmp;
        this.maxPayload = maxPayload;
        this.maxUpload = maxUpload;
    }

    /// Handles a request to `/in/{sourceId}`; `headers` have lower-case names.
    public IngestResult receive(String sourceId, Map<String, String> headers, InputStream body) throws IOException {
        Source source = sources.find(sourceId).orElse(null);
        if (source == null) {
            return new IngestResult.UnknownSource(sourceId);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Definition def;
        try {
            def = SourceService.definition(source);
        } catch (SourceException e) {
            // fail closed: a definition that stopped making sense lets nothing through
            return log(source, headers, null, 0, false, InboundRequest.Status.REJECTED, e.getMessage(), now,
                    new IngestResult.Refused("the source's definition is incomplete: " + e.getMessage(), SIGNATURE));
        }
        long limit = def.action() instanceof Definition.RunPipeline p && p.urlPointer() == null ? maxUpload : maxPayload;
        Verification.Check check = def.verification().begin(headers, now);
        if (check instanceof Verification.Refused r) {
            String challenge = def.verification() instanceof Verification.Basic ? BASIC : SIGNATURE;
            return log(source, headers, null, 0, false, InboundRequest.Status.REJECTED, r.reason(), now,
                    new IngestResult.Refused(r.reason(), challenge));
        }
        Verification.Proceed go = (Verification.Proceed) check;
        OwnerOnly.directory(tmp);
        Path file = Files.createTempFile(tmp, "in-", ".body");
        try {
            long size;
            try {
                OutputStream out = Files.newOutputStream(file);
                size = FileService.copyAtMost(body, go.mac() == null ? out : new MacOutput(out, go.mac()), limit);
            } catch (FileService.TooLarge e) {
                return log(source, headers, null, 0, false, InboundRequest.Status.REJECTED, e.getMessage(), now,
                        new IngestResult.TooLarge(e.getMessage()));
            }
            if (go.mac() != null && !go.accepts().test(go.mac().doFinal())) {
                String reason = "the signature does not match the body";
                return log(source, headers, file, size, false, InboundRequest.Status.REJECTED, reason, now,
                        new IngestResult.Refused(reason, SIGNATURE));
            }
            Body received = new Body(file, size);
            String key = dedupKey(def.dedup(), headers, received);
            InboundRequest r = request(source, headers, file, size, true, InboundRequest.Status.RECEIVED, null, key, null, now);
            // the first of any number of copies claims the key before it is recorded as received
            if (key != null && !sources.claim(source.id(), key, r.id(), now, now.minus(def.dedup().window()),
                    now.minus(STALE_CLAIM))) {
                InboundRequest duplicate = new InboundRequest(r.id(), r.sourceId(), r.appId(), r.headers(), r.body(),
                        r.bodyBase64(), null, r.size(), true, InboundRequest.Status.DUPLICATE, "a repeat of an earlier"
                        + " request with the same " + describe(def.dedup()), key, null, null, now);
                sources.record(duplicate);
                return new IngestResult.Duplicate(r.id());
            }
            sources.record(r);
            return act(source, def, r, received);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /// Runs a stored request's action again, as a new request that names the one it replays.
    public IngestResult replay(Source source, InboundRequest original) throws IOException {
        if (!original.verified()) {
            return new IngestResult.CannotReplay("request " + original.id()
                    + " was not verified; only verified requests replay");
        }
        Definition def = SourceService.definition(source);
        OwnerOnly.directory(tmp);
        Path file = Files.createTempFile(tmp, "replay-", ".body");
        try {
            if (original.body() != null) {
                Files.write(file, original.bodyBase64() ? Base64.getDecoder().decode(original.body())
                        : original.body().getBytes(StandardCharsets.UTF_8));
            } else if (original.bodyFile() != null) {
                var stored = files.find(original.appId(), original.bodyFile()).orElse(null);
                if (stored == null) {
                    return new IngestResult.CannotReplay("the file that the body of request " + original.id()
                            + " became was deleted");
                }
                Files.copy(files.local(stored), file, StandardCopyOption.REPLACE_EXISTING);
            } else {
                return new IngestResult.CannotReplay("request " + original.id() + " kept no body");
            }
            InboundRequest r = new InboundRequest(ids.next("in_"), source.id(), source.appId(), original.headers(),
                    original.body(), original.bodyBase64(), null, original.size(), true, InboundRequest.Status.RECEIVED, null,
                    null, null, original.id(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
            sources.record(r);
            return act(source, def, r, new Body(file, original.size()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private IngestResult act(Source source, Definition def, InboundRequest r, Body body) throws IOException {
        IngestResult.Outcome outcome;
        String bodyFile = null;
        try {
            switch (def.action()) {
                case Definition.Emit e -> {
                    JsonNode payload = body.json();
                    if (e.pointer() != null) {
                        payload = payload.at(e.pointer());
                    }
                    if (!payload.isObject()) {
                        throw new Failed(e.pointer() == null ? "the body is not a JSON object"
                                : "no JSON object at " + e.pointer() + " in the body");
                    }
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    Message m = new Message(ids.next("msg_"), source.appId(), e.eventType(), null, null,
                            json.writeValueAsString(payload), now, now.plus(Events.DEFAULT_RETENTION));
                    publisher.publish(m);
                    outcome = new IngestResult.Outcome(m.id(), null, List.of());
                }
                case Definition.RunPipeline p -> {
                    PipelineDefinition pipeline = pipelines.find(source.appId(), p.pipelineId())
                            .orElseThrow(() -> new Failed("the pipeline '" + p.pipelineId() + "' no longer exists"));
                    if (p.urlPointer() != null) {
                        JsonNode url = body.json().at(p.urlPointer());
                        String u = url.isTextual() ? url.asText() : "";
                        String scheme = u.contains(":") ? u.substring(0, u.indexOf(':')).toLowerCase(Locale.ROOT) : "";
                        if (!scheme.equals("http") && !scheme.equals("https")) {
                            throw new Failed("no http(s) URL at " + p.urlPointer() + " in the body");
                        }
                        Job j = jobs.createFromUrl(pipeline, u);
                        outcome = new IngestResult.Outcome(null, null, List.of(j.id()));
                    } else {
                        JobService.Upload up;
                        try (InputStream in = Files.newInputStream(body.path)) {
                            up = jobs.upload(source.appId(), fileName(source, r), in, pipeline);
                        } catch (CsvFormatException e) {
                            throw new Failed("the body is not usable CSV: " + e.getMessage());
                        }
                        bodyFile = up.file().id();
                        outcome = new IngestResult.Outcome(null, up.file().id(), up.jobs().stream().map(Job::id).toList());
                    }
                }
            }
        } catch (Failed e) {
            sources.finish(r.id(), InboundRequest.Status.FAILED, e.getMessage(), null, null);
            if (r.dedupKey() != null) {
                sources.release(source.id(), r.dedupKey(), r.id()); // a corrected repeat may be processed
            }
            return new IngestResult.Unprocessable(r.id(), e.getMessage());
        }
        sources.finish(r.id(), InboundRequest.Status.PROCESSED, null, json.writeValueAsString(outcomeJson(outcome)), bodyFile);
        return new IngestResult.Accepted(r.id(), outcome);
    }

    /// The outcome as the request log keeps it: only the parts there are.
    private ObjectNode outcomeJson(IngestResult.Outcome o) {
        ObjectNode n = json.createObjectNode();
        if (o.messageId() != null) {
            n.put("messageId", o.messageId());
        }
        if (o.fileId() != null) {
            n.put("fileId", o.fileId());
        }
        if (o.messageId() == null) {
            o.jobIds().forEach(n.putArray("jobIds")::add);
        }
        return n;
    }

    /// A failure of the action that is the sender's doing (a body that is not what the source expects).
    private static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    /// A received body: its temporary file, and its JSON, parsed once however many look at it.
    private final class Body {
        final Path path;
        final long size;
        private JsonNode parsed;
        private Failed failure;

        Body(Path path, long size) {
            this.path = path;
            this.size = size;
        }

        JsonNode json() throws Failed {
            if (parsed == null && failure == null) {
                try {
                    parsed = parse();
                } catch (Failed f) {
                    failure = f;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return parsed;
        }

        private JsonNode parse() throws Failed {
            if (size > maxPayload) {
                throw new Failed("a JSON body must be at most " + maxPayload + " bytes");
            }
            try {
                JsonNode n = json.readTree(Files.readAllBytes(path));
                if (n == null) {
                    throw new Failed("the body is empty; JSON was expected");
                }
                return n;
            } catch (IOException e) {
                throw new Failed("the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    /// Feeds what is written through a MAC on its way to the file.
    private static final class MacOutput extends FilterOutputStream {
        private final Mac mac;

        MacOutput(OutputStream out, Mac mac) {
            super(out);
            this.mac = mac;
        }

        @Override
        public void write(int b) throws IOException {
            mac.update((byte) b);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            mac.update(b, off, len);
            out.write(b, off, len);
        }
    }

    private String dedupKey(Definition.Dedup d, Map<String, String> headers, Body body) {
        if (d == null) {
            return null;
        }
        if (d.header() != null) {
            String v = headers.get(d.header());
            if (v == null && d.header().equals("webhook-id")) {
                v = headers.get("svix-id");
            }
            return v == null ? null : truncate(v);
        }
        try {
            JsonNode v = body.json().at(d.pointer());
            return v.isMissingNode() || v.isNull() ? null : truncate(v.isValueNode() ? v.asText() : v.toString());
        } catch (Failed notJson) {
            return null;
        }
    }

    private static String truncate(String key) {
        return key.length() > 512 ? key.substring(0, 512) : key;
    }

    private static String describe(Definition.Dedup d) {
        return d.header() != null ? d.header() + " header" : "value at " + d.pointer();
    }

    private static String fileName(Source s, InboundRequest r) {
        String given = r.headers().get("x-file-name");
        if (given != null && !given.isBlank() && given.length() <= 255) {
            return given.trim();
        }
        return s.name().replaceAll("[^A-Za-z0-9._-]+", "-") + "-" + r.id() + ".csv";
    }

    /// Logs a refused request and answers `answer`, unless the source has refused more than its
    /// budget lately: then the request is neither logged nor answered with a reason, only told
    /// to wait, so a flood of bad requests cannot fill the disk.
    private IngestResult log(Source s, Map<String, String> headers, Path body, long size, boolean verified,
                             InboundRequest.Status status, String detail, Instant now, IngestResult answer) throws IOException {
        long wait = refusals.get(s.id(), id -> new TokenBucket(REFUSALS_PER_SECOND, REFUSAL_BURST, System::nanoTime)).take();
        if (wait > 0) {
            return new IngestResult.Throttled(wait);
        }
        sources.record(request(s, headers, body, size, verified, status, detail, null, null, now));
        return answer;
    }

    /// The request as logged: credentials redacted; the body inline when it is small enough
    /// (base64 unless it is UTF-8); a rejected one only its first headers and 1 KiB of its body.
    private InboundRequest request(Source s, Map<String, String> headers, Path body, long size, boolean verified,
                                   InboundRequest.Status status, String detail, String key, String outcome, Instant now)
            throws IOException {
        // the header the source's verification reads carries its credential, whatever its name
        String named = s.verification().path("header").asText("").toLowerCase(Locale.ROOT);
        Map<String, String> kept = new LinkedHashMap<>();
        int headerBytes = 0;
        int dropped = 0;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String value = secret(h.getKey()) || h.getKey().equals(named) ? "[redacted]" : h.getValue();
            headerBytes += h.getKey().length() + value.length();
            if (!verified && headerBytes > REJECTED_HEADERS) {
                dropped++;
            } else {
                kept.put(h.getKey(), value);
            }
        }
        if (dropped > 0) {
            kept.put("x-csvx-not-kept", dropped + " more headers of a rejected request");
        }
        String text = null;
        boolean base64 = false;
        if (body != null && (size <= maxPayload || !verified)) {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(body)) {
                bytes = in.readNBytes(verified ? (int) size : (int) Math.min(size, REJECTED_BODY));
            }
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                if (text.indexOf('\0') >= 0) {
                    throw new CharacterCodingException(); // text columns cannot hold NUL: keep it as base64
                }
            } catch (CharacterCodingException e) {
                text = Base64.getEncoder().encodeToString(bytes);
                base64 = true;
            }
        }
        return new InboundRequest(ids.next("in_"), s.id(), s.appId(), kept, text, base64, null, size, verified, status,
                detail, key, outcome, null, now);
    }

    /// Whether a header carries a credential (an API key header of any name included).
    private static boolean secret(String name) {
        return SECRET_HEADERS.contains(name) || name.contains("key") || name.contains("token") || name.contains("secret");
    }
}
