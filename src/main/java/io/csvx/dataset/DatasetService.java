package io.csvx.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.file.CsvFile;
import io.csvx.job.DiffSpec;
import io.csvx.job.Job;
import io.csvx.job.NewVersions;
import io.csvx.message.Events;
import io.csvx.message.Publisher;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Datasets and the rules of their versions: an upload or fetched file whose name matches a
/// dataset's `match`, or an output of the dataset's pipeline, or an upload that names it,
/// becomes its next version, and each version is compared with the one
/// before by a diff job; when the diff ends, it lands in the dataset's history and, when the
/// dataset's `notify` rule fires, `dataset.changed` is published once (its `eventId` is the job's).
public final class DatasetService implements NewVersions {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /// The diff file's formats.
    public static final List<String> FORMATS = List.of("csv", "ndjson");

    private final DatasetStore store;
    private final Publisher publisher;
    private final Clock clock;

    public DatasetService(DatasetStore store, Publisher publisher, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
    }

    /// Checks what the store cannot: a key of distinct, non-empty column names and a known diff
    /// format. [IllegalArgumentException] names the field at fault.
    public static void check(Dataset d) {
        if (d.key().isEmpty()) {
            throw new IllegalArgumentException("key: the columns that identify a row, e.g. [\"order_id\"]");
        }
        Set<String> seen = new HashSet<>();
        for (String k : d.key()) {
            if (k.isEmpty() || !seen.add(k)) {
                throw new IllegalArgumentException("key: " + (k.isEmpty() ? "a column name is empty" : "'" + k
                        + "' is named twice"));
            }
        }
        if (!FORMATS.contains(d.diffFormat())) {
            throw new IllegalArgumentException("diffFormat: csv or ndjson, not '" + d.diffFormat() + "'");
        }
    }

    /// Inserts; [StoreException.Conflict] when the uid is taken.
    public Dataset create(Dataset d) {
        check(d);
        return store.create(d);
    }

    public Optional<Dataset> find(String appId, String idOrUid) {
        return store.find(appId, idOrUid);
    }

    public Page<Dataset> list(String appId, PageRequest page) {
        return store.list(appId, page);
    }

    /// Replaces the definition; versions, history and diffs already queued stay as they are.
    public Dataset update(Dataset d) {
        check(d);
        return store.update(d);
    }

    /// Removes the dataset with its versions and history; the files stay.
    public void delete(Dataset d) {
        store.delete(d.appId(), d.id());
    }

    public Page<DatasetVersion> versions(Dataset d, PageRequest page) {
        return store.versions(d.id(), page);
    }

    public Optional<DatasetVersion> version(Dataset d, int version) {
        return store.version(d.id(), version);
    }

    /// The history of diffs, newest first.
    public Page<DatasetDiff> diffs(Dataset d, PageRequest page) {
        return store.diffs(d.id(), page);
    }

    /// Each of the application's datasets' latest diff, by dataset id.
    public Map<String, DatasetDiff> latestDiffs(String appId) {
        return store.latestDiffs(appId);
    }

    /// The latest completed diff from version `from` to `to`.
    public Optional<DatasetDiff> diff(Dataset d, int from, int to) {
        return store.diff(d.id(), from, to);
    }

    /// What a diff job comparing versions `from` and `to` of `d` asked for through the API runs;
    /// [IllegalArgumentException] names the version that does not exist.
    public DiffSpec compare(Dataset d, int from, int to) {
        DatasetVersion a = store.version(d.id(), from).orElseThrow(() ->
                new IllegalArgumentException("from: the dataset has no version " + from));
        DatasetVersion b = store.version(d.id(), to).orElseThrow(() ->
                new IllegalArgumentException("to: the dataset has no version " + to));
        if (from == to) {
            throw new IllegalArgumentException("to: compare two different versions");
        }
        return spec(d, a, b, false);
    }

    private static DiffSpec spec(Dataset d, DatasetVersion a, DatasetVersion b, boolean announce) {
        return new DiffSpec(d.id(), d.name(), d.key(), d.diffFormat(), a.version(), a.fileId(), b.version(), b.fileId(),
                announce);
    }

    @Override
    public List<DiffSpec> arrived(List<CsvFile> files, String datasetId, String pipelineId) {
        List<DiffSpec> diffs = new ArrayList<>();
        if (files.isEmpty()) {
            return diffs;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Dataset> datasets = store.all(files.getFirst().appId()); // once, however many files a job wrote
        for (CsvFile file : files) {
            arrived(file, datasetId, pipelineId, datasets, now, diffs);
        }
        return diffs;
    }

    private void arrived(CsvFile file, String datasetId, String pipelineId, List<Dataset> datasets, Instant now,
                         List<DiffSpec> diffs) {
        for (Dataset d : datasets) {
            // a dataset takes uploads or one pipeline's outputs, never both: an upload and the
            // output cleaned from it are not two versions
            boolean matches = d.pipelineId() == null
                    ? pipelineId == null && d.match() != null && d.match().matches(file.name())
                    : d.pipelineId().equals(pipelineId) && (d.match() == null || d.match().matches(file.name()));
            if (!d.id().equals(datasetId) && !matches) {
                continue;
            }
            Optional<DatasetVersion> added = store.addVersion(d.id(), file.id(), file.rows(), now);
            if (added.isEmpty() || added.get().version() == 1) {
                continue; // a version already (announced again), or the first: nothing to compare with
            }
            store.version(d.id(), added.get().version() - 1)
                    .ifPresent(previous -> diffs.add(spec(d, previous, added.get(), true)));
        }
    }

    @Override
    public void diffEnded(Job job, DiffSpec spec) {
        Dataset d = store.find(job.appId(), spec.datasetId()).orElse(null);
        if (d == null) {
            return; // deleted meanwhile, history and all
        }
        Instant at = job.finishedAt() == null ? clock.instant().truncatedTo(ChronoUnit.MILLIS) : job.finishedAt();
        if (job.status() != Job.Status.COMPLETED || job.result() == null) {
            store.recordDiff(new DatasetDiff(job.id(), d.id(), spec.fromVersion(), spec.toVersion(),
                    DatasetDiff.Status.FAILED, null, null, false, null,
                    job.error() == null ? job.status().wire() : job.error(), at));
            return;
        }
        ObjectNode summary = summary(job);
        Optional<String> rule = spec.announce() ? d.notifyRule().fired(counts(summary)) : Optional.empty();
        String diffFile = job.outputFileIds().isEmpty() ? null : job.outputFileIds().getFirst();
        store.recordDiff(new DatasetDiff(job.id(), d.id(), spec.fromVersion(), spec.toVersion(),
                DatasetDiff.Status.COMPLETED, job.result(), diffFile, rule.isPresent(), rule.orElse(null), null, at));
        if (rule.isPresent()) {
            publish(d, spec, job, summary, diffFile, rule.get(), at);
        }
    }

    private static ObjectNode summary(Job job) {
        try {
            return (ObjectNode) JSON.readTree(job.result());
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("job " + job.id() + " holds no diff summary", e);
        }
    }

    static Notify.Counts counts(JsonNode s) {
        return new Notify.Counts(s.path("added").asLong(), s.path("removed").asLong(), s.path("changed").asLong(),
                s.path("unchanged").asLong(), s.path("columnsAdded").size(), s.path("columnsRemoved").size());
    }

    /// `dataset.changed`: the dataset, both versions, the summary's figures, the diff file, the
    /// rule that fired and the sentence chat formats show.
    private void publish(Dataset d, DiffSpec spec, Job job, ObjectNode summary, String diffFile, String rule, Instant at) {
        ObjectNode data = JSON.createObjectNode();
        ObjectNode ds = data.putObject("dataset");
        ds.put("id", d.id()).put("uid", d.uid()).put("name", d.name());
        d.key().forEach(ds.putArray("key")::add);
        DatasetVersion from = store.version(d.id(), spec.fromVersion()).orElse(null);
        DatasetVersion to = store.version(d.id(), spec.toVersion()).orElse(null);
        data.set("from", version(from, spec.fromVersion(), spec.fromFileId()));
        data.set("to", version(to, spec.toVersion(), spec.toFileId()));
        for (String f : List.of("added", "removed", "changed", "unchanged", "changedByColumn", "columnsAdded",
                "columnsRemoved", "first")) {
            data.set(f, summary.get(f));
        }
        data.put("changedRowsPercent", counts(summary).changedRowsPercent());
        data.put("diffFileId", diffFile);
        data.put("jobId", job.id());
        data.put("rule", rule);
        data.put("sentence", d.name() + ": " + summary.path("sentence").asText()
                + (from == null ? "" : " since " + from.createdAt().atZone(ZoneOffset.UTC).toLocalDate()));
        try {
            publisher.publishEvent(d.appId(), Events.DATASET_CHANGED, job.id() + ".changed", at, data, d.id());
        } catch (StoreException.Conflict alreadyPublished) {
            LOG.debug("dataset.changed of {} was published already", job.id());
        }
    }

    private static ObjectNode version(DatasetVersion v, int number, String fileId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", number).put("fileId", fileId);
        if (v != null) {
            o.put("rows", v.rows()).put("createdAt", v.createdAt().toString());
        }
        return o;
    }
}
