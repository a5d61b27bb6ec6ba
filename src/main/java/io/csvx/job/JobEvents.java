package io.csvx.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.message.Events;
import io.csvx.message.Publisher;
import io.csvx.store.StoreException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    private void publish(String appId, String orderingKey, String type, String eventId, Object data) {
        try {
            publisher.publishEvent(appId, type, eventId, Instant.now().truncatedTo(ChronoUnit.MILLIS), data, orderingKey);
        } catch (StoreException.Conflict alreadyPublished) {
            // a resumed job, or another node, published this event already
        }
    }
}
