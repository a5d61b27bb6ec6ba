package io.csvx.dataset;

import io.csvx.job.Glob;
import java.time.Instant;
import java.util.List;

/// A dataset of an application: the files that are its versions, compared by `key`.
///
/// @param key        the columns that identify a row
/// @param match      file names that become its versions; null: with `pipelineId`, every CSV
///                   output of that pipeline, else only uploads that name it with `?dataset=`
/// @param pipelineId whose CSV outputs are its versions; null: uploads and fetched files are
/// @param notifyRule when a new version's changes are significant enough to publish `dataset.changed`
/// @param diffFormat the diff file's format: `csv` or `ndjson`
public record Dataset(String id, String appId, String uid, String name, List<String> key, Glob match, String pipelineId,
                      Notify notifyRule,
                      String diffFormat, Instant createdAt, Instant updatedAt) {
    public Dataset {
        key = List.copyOf(key);
    }
}
