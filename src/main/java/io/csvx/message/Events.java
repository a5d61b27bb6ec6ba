package io.csvx.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.util.List;

/// The catalogue of CSV-X's own events: their names, in one place, their descriptions and JSON
/// schemas (resources beside this class, `events/{name}.json`), and how long their payloads (and
/// any message's that does not say) are kept.
public final class Events {
    public static final String FILE_UPLOADED = "file.uploaded";
    public static final String JOB_STARTED = "job.started";
    public static final String JOB_COMPLETED = "job.completed";
    public static final String JOB_FAILED = "job.failed";
    public static final String JOB_CANCELLED = "job.cancelled";
    public static final String RECORDS_BATCH = "records.batch";
    public static final String DATASET_CHANGED = "dataset.changed";
    public static final String JOB_ALERT = "job.alert";
    /// The events CSV-X publishes into applications, registered as event types on start.
    public static final List<String> PUBLISHED = List.of(FILE_UPLOADED, JOB_STARTED, JOB_COMPLETED, JOB_FAILED,
            JOB_CANCELLED, RECORDS_BATCH, DATASET_CHANGED, JOB_ALERT);

    /// How long a message's payload is kept unless it says otherwise (Svix's default); a node's
    /// `--retention` may cap it.
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    private Events() {
    }

    /// A JSON mapper that writes times as ISO-8601 text, as events carry them and as the API
    /// answers them: one rule for both, so a time reads the same in a webhook and in the API.
    /// Its buffers are recycled through a pool of its own: Jackson's default keeps them per
    /// thread, and each request's virtual thread is new, so every parse and write allocated them
    /// afresh (an eighth of what the server allocated a delivery).
    public static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
        return new ObjectMapper(factory).registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
