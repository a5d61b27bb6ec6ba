package io.csvx.dataset;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Datasets, their versions and the history of their diffs.
public interface DatasetStore {
    /// Conflict when the uid is taken in the application.
    Dataset create(Dataset d);

    Optional<Dataset> find(String appId, String idOrUid);

    Page<Dataset> list(String appId, PageRequest page);

    /// Every dataset of the application, for matching arriving files.
    List<Dataset> all(String appId);

    /// Conflict when the new uid is taken.
    Dataset update(Dataset d);

    /// Removes the dataset, its versions and its history; the files stay.
    boolean delete(String appId, String id);

    /// Makes `fileId` the dataset's next version; empty when it is one already.
    Optional<DatasetVersion> addVersion(String datasetId, String fileId, long rows, Instant now);

    Optional<DatasetVersion> version(String datasetId, int version);

    /// Versions, oldest first unless the page says otherwise; its iterator is a version number.
    Page<DatasetVersion> versions(String datasetId, PageRequest page);

    /// Records a diff in the history; a diff recorded already (by its job) is left as it is.
    /// Answers whether this call recorded it.
    boolean recordDiff(DatasetDiff d);

    /// The latest completed diff from `from` to `to`.
    Optional<DatasetDiff> diff(String datasetId, int from, int to);

    Optional<DatasetDiff> diffByJob(String datasetId, String jobId);

    /// Each of the application's datasets' latest diff, by dataset id (none for a dataset without one).
    Map<String, DatasetDiff> latestDiffs(String appId);

    /// The history, newest first unless the page says otherwise.
    Page<DatasetDiff> diffs(String datasetId, PageRequest page);
}
