package io.csvx.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;

/// A job as the API answers with it and as its events carry it.
///
/// @param errorLine the input line the error concerns, when it concerns one
/// @param runs      how many times a node started it; more than one means it was resumed after a crash
/// @param result    a finished diff's summary, or `{"aggregate": {…}}`: the single group of a
///                  pipeline ending in `aggregate`; else null
public record JobView(String id, String pipelineId, String datasetId, String fileId, String inputUrl, String status, long rowsRead, long rowsWritten,
                      long rowsSkipped, long rowsRejected, List<String> outputFileIds, String rejectsFileId, String error,
                      Long errorLine, int runs, boolean cancelRequested, Instant createdAt, Instant startedAt,
                      Instant finishedAt, Instant updatedAt, JsonNode result) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static JobView of(Job j) {
        JsonNode result;
        try {
            result = j.result() == null ? null : JSON.readTree(j.result());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + j.id() + " holds a result that is not JSON", e);
        }
        return new JobView(j.id(), j.pipelineId(), j.datasetId(), j.fileId(), j.inputUrl(), j.status().wire(), j.rowsRead(), j.rowsWritten(),
                j.rowsSkipped(), j.rowsRejected(), j.outputFileIds(), j.rejectsFileId(), j.error(), j.errorLine(), j.runs(),
                j.cancelRequested(), j.createdAt(), j.startedAt(), j.finishedAt(), j.updatedAt(), result);
    }
}
