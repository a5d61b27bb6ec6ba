package io.csvx.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/// What a diff job compares: two versions of a dataset, by key, and how it writes the changes.
/// Kept as the job's definition (`{"diff": {…}}`), so a dataset edited meanwhile does not change
/// a diff already queued.
///
/// @param format   the diff file's format: `csv` or `ndjson`
/// @param announce whether the dataset's `notify` rule is applied when it ends (a new version's
///                 diff); false for a comparison asked for through the API
public record DiffSpec(String datasetId, String datasetName, List<String> key, String format, int fromVersion,
                       String fromFileId, int toVersion, String toFileId, boolean announce) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DiffSpec {
        key = List.copyOf(key);
    }

    String toJson() {
        ObjectNode d = JSON.createObjectNode();
        ObjectNode o = d.putObject("diff");
        o.put("dataset", datasetId).put("name", datasetName);
        key.forEach(o.putArray("key")::add);
        o.put("format", format).put("fromVersion", fromVersion).put("fromFileId", fromFileId)
                .put("toVersion", toVersion).put("toFileId", toFileId).put("announce", announce);
        return d.toString();
    }

    /// The spec a diff job was created with.
    public static DiffSpec of(Job job) {
        JsonNode o;
        try {
            o = JSON.readTree(job.definition()).path("diff");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + job.id() + " holds no diff: " + e.getMessage(), e);
        }
        List<String> key = new ArrayList<>();
        o.path("key").forEach(k -> key.add(k.asText()));
        return new DiffSpec(o.path("dataset").asText(), o.path("name").asText(), key, o.path("format").asText("csv"),
                o.path("fromVersion").asInt(), o.path("fromFileId").asText(), o.path("toVersion").asInt(),
                o.path("toFileId").asText(), o.path("announce").asBoolean());
    }
}
