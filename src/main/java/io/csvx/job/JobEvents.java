package io.csvx.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.message.Events;
import io.csvx.message.Publisher;
import io.csvx.pipeline.Alert;
import io.csvx.pipeline.Pipeline;
import io.csvx.pipeline.PipelineException;
import io.csvx.store.StoreException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Publishing the job events (their names and schemas are in [Events]). Each event has a
/// fixed `eventId` (`{job}.started`, `{job}.batch.{n}`, …), so a job resumed after a crash, or
/// two nodes announcing the same end, publish each event once. Their ordering key is the job's
/// id, or with `byFile` its input file's (the key of that file's `file.uploaded` too): an
/// endpoint whose ordering is on receives one job's events, or every event of one file, in the
/// order they happened.
public final class JobEvents {
    static final String STARTED = Events.JOB_STARTED;
    static final String COMPLETED = Events.JOB_COMPLETED;
    static final String FAILED = Events.JOB_FAILED;
    static final String CANCELLED = Events.JOB_CANCELLED;
    static final String RECORDS = Events.RECORDS_BATCH;

    private final Publisher publisher;
    private final boolean byFile;

    public JobEvents(Publisher publisher, boolean byFile) {
        this.publisher = publisher;
        this.byFile = byFile;
    }

    private String key(Job j) {
        return byFile && j.fileId() != null ? j.fileId() : j.id();
    }

    /// `job.started`, or the event of how a finished job ended.
    void job(Job j) {
        String type = switch (j.status()) {
            case QUEUED, RUNNING -> STARTED;
            case COMPLETED -> COMPLETED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
        };
        publish(j.appId(), key(j), type, j.id() + "." + type.substring(type.indexOf('.') + 1), Map.of("job", JobView.of(j)));
    }

    /// One `records.batch`: rows `firstRow`… of the job's output, keyed by `header`.
    void records(Job j, int batch, long firstRow, List<String> header, List<List<String>> rows, boolean last) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("jobId", j.id());
        data.put("pipelineId", j.pipelineId());
        data.put("fileId", j.fileId());
        data.put("batch", batch);
        data.put("firstRow", firstRow);
        var array = data.putArray("rows");
        for (List<String> row : rows) {
            ObjectNode o = array.addObject();
            for (int i = 0; i < header.size(); i++) {
                o.put(header.get(i), i < row.size() ? row.get(i) : null);
            }
        }
        data.put("final", last);
        publish(j.appId(), key(j), RECORDS, j.id() + ".batch." + batch, data);
    }

    /// Each of the pipeline's `alerts` whose condition the finished job meets, once (`{job}.alert.{n}`),
    /// with the figures and values it read.
    void alerts(Job j) {
        List<Alert> alerts;
        try {
            alerts = Pipeline.parse(j.definition()).alerts();
        } catch (PipelineException e) {
            return; // the job failed on its definition already
        }
        if (alerts.isEmpty()) {
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("rowsRead", Long.toString(j.rowsRead()));
        values.put("rowsWritten", Long.toString(j.rowsWritten()));
        values.put("rowsRejected", Long.toString(j.rowsRejected()));
        values.put("rowsSkipped", Long.toString(j.rowsSkipped()));
        values.put("rejectedPercent", j.rowsRead() == 0 ? "0" : BigDecimal.valueOf(j.rowsRejected() * 100)
                .divide(BigDecimal.valueOf(j.rowsRead()), 2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
        JsonNode result = JobView.of(j).result();
        JsonNode group = result == null ? null : result.get("aggregate");
        if (group != null) {
            group.properties().forEach(e -> values.putIfAbsent(e.getKey(), e.getValue().asText()));
        }
        for (int i = 0; i < alerts.size(); i++) {
            Alert a = alerts.get(i);
            if (!a.fires(values)) {
                continue;
            }
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.put("alert", a.name());
            data.put("when", a.when());
            data.put("jobId", j.id());
            data.put("pipelineId", j.pipelineId());
            data.put("fileId", j.fileId());
            ObjectNode read = data.putObject("values");
            a.fields().forEach(f -> read.put(f, values.getOrDefault(f, "")));
            ObjectNode figures = data.putObject("figures");
            Alert.FIGURES.forEach(f -> figures.put(f, values.get(f)));
            if (group != null) {
                data.set("aggregate", group);
            }
            publish(j.appId(), key(j), a.eventType(), j.id() + ".alert." + (i + 1), data);
        }
    }

    private void publish(String appId, String orderingKey, String type, String eventId, Object data) {
        try {
            publisher.publishEvent(appId, type, eventId, Instant.now().truncatedTo(ChronoUnit.MILLIS), data, orderingKey);
        } catch (StoreException.Conflict alreadyPublished) {
            // a resumed job, or another node, published this event already
        }
    }
}
