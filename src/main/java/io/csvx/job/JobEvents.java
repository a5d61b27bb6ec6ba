package io.csvx.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.message.EventTypeService;
import io.csvx.message.Events;
import io.csvx.message.Publisher;
import io.csvx.store.StoreException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/// The job event types, registered with their JSON schemas, and publishing them. Each event has a
/// fixed `eventId` (`{job}.started`, `{job}.batch.{n}`, …), so a job resumed after a crash, or
/// two nodes announcing the same end, publish each event once.
public final class JobEvents {
    static final String STARTED = Events.JOB_STARTED;
    static final String COMPLETED = Events.JOB_COMPLETED;
    static final String FAILED = Events.JOB_FAILED;
    static final String CANCELLED = Events.JOB_CANCELLED;
    static final String RECORDS = Events.RECORDS_BATCH;

    private static final String JOB_SCHEMA = """
            {"type": "object", "required": ["id", "pipelineId", "status", "rowsRead", "rowsWritten",
               "rowsSkipped", "rowsRejected", "outputFileIds", "createdAt"],
             "properties": {
               "id": {"type": "string", "pattern": "^job_"}, "pipelineId": {"type": "string"},
               "fileId": {"type": ["string", "null"]}, "inputUrl": {"type": ["string", "null"]},
               "status": {"enum": ["queued", "running", "completed", "failed", "cancelled"]},
               "rowsRead": {"type": "integer"}, "rowsWritten": {"type": "integer"}, "rowsSkipped": {"type": "integer"},
               "rowsRejected": {"type": "integer"}, "outputFileIds": {"type": "array", "items": {"type": "string"}},
               "rejectsFileId": {"type": ["string", "null"]}, "error": {"type": ["string", "null"]},
               "errorLine": {"type": ["integer", "null"]}, "runs": {"type": "integer"},
               "createdAt": {"type": "string", "format": "date-time"},
               "startedAt": {"type": ["string", "null"], "format": "date-time"},
               "finishedAt": {"type": ["string", "null"], "format": "date-time"}}}""";

    private static final String RECORDS_SCHEMA = """
            {"type": "object", "required": ["jobId", "pipelineId", "fileId", "batch", "firstRow", "rows", "final"],
             "properties": {
               "jobId": {"type": "string", "pattern": "^job_"}, "pipelineId": {"type": "string"},
               "fileId": {"type": "string"}, "batch": {"type": "integer", "minimum": 1},
               "firstRow": {"type": "integer", "minimum": 1},
               "rows": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}},
               "final": {"type": "boolean"}}}""";

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            STARTED, "A job started running a pipeline over a file.",
            COMPLETED, "A job finished: counts and the ids of the files it wrote.",
            FAILED, "A job failed: the error and, when it concerns one, the input line.",
            CANCELLED, "A job was cancelled before it finished.",
            RECORDS, "A batch of rows a job wrote, as objects keyed by the output header, for receivers that upsert them.");

    private final Publisher publisher;

    public JobEvents(Publisher publisher) {
        this.publisher = publisher;
    }

    /// Creates the event types that are missing; leaves ones a user already has alone.
    public static void register(EventTypeService types) {
        for (String name : List.of(STARTED, COMPLETED, FAILED, CANCELLED, RECORDS)) {
            String data = name.equals(RECORDS) ? RECORDS_SCHEMA : "{\"type\": \"object\", \"required\": [\"job\"],"
                    + " \"properties\": {\"job\": " + JOB_SCHEMA + "}}";
            String schema = "{\"1\": {\"title\": \"" + name + "\", \"type\": \"object\","
                    + " \"required\": [\"type\", \"timestamp\", \"data\"], \"properties\": {"
                    + "\"type\": {\"const\": \"" + name + "\"}, \"timestamp\": {\"type\": \"string\", \"format\": \"date-time\"},"
                    + " \"data\": " + data + "}}}";
            types.registerIfAbsent(name, DESCRIPTIONS.get(name), schema);
        }
    }

    /// `job.started`, or the event of how a finished job ended.
    void job(Job j) {
        String type = switch (j.status()) {
            case QUEUED, RUNNING -> STARTED;
            case COMPLETED -> COMPLETED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
        };
        publish(j.appId(), type, j.id() + "." + type.substring(type.indexOf('.') + 1), Map.of("job", JobView.of(j)));
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
        publish(j.appId(), RECORDS, j.id() + ".batch." + batch, data);
    }

    private void publish(String appId, String type, String eventId, Object data) {
        try {
            publisher.publishEvent(appId, type, eventId, Instant.now().truncatedTo(ChronoUnit.MILLIS), data);
        } catch (StoreException.Conflict alreadyPublished) {
            // a resumed job, or another node, published this event already
        }
    }
}
