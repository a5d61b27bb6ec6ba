package io.csvx.job;

import io.csvx.file.CsvFile;
import io.csvx.file.FileService;
import io.csvx.store.Ids;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// Starting and cancelling jobs, and uploads that start the jobs their pipelines' triggers ask for.
public final class JobService {
    private final JobStore jobs;
    private final PipelineStore pipelines;
    private final FileService files;
    private final Ids ids;
    private final JobRunner runner;
    private final JobQueue queue;
    private final Clock clock;

    public JobService(JobStore jobs, PipelineStore pipelines, FileService files, Ids ids, JobRunner runner) {
        this.jobs = jobs;
        this.pipelines = pipelines;
        this.files = files;
        this.ids = ids;
        this.runner = runner;
        this.queue = runner.queue();
        this.clock = runner.clock();
    }

    /// A stored upload and the jobs it started.
    public record Upload(CsvFile file, List<Job> jobs) {
    }

    /// Stores an upload (publishing `file.uploaded`), then queues a job for `pipeline` when given
    /// and for every pipeline of the application whose trigger matches the file's name.
    public Upload upload(String appId, String name, InputStream body, PipelineDefinition pipeline) throws IOException {
        return upload(appId, name, body, pipeline, null);
    }

    /// [#upload], the file also becoming the next version of the dataset `datasetId` (when not
    /// null) and of every dataset of uploads whose `match` its name matches, each version then
    /// compared with the one before by a diff job.
    public Upload upload(String appId, String name, InputStream body, PipelineDefinition pipeline, String datasetId)
            throws IOException {
        CsvFile f = files.upload(appId, name, body);
        List<Job> jobs = new ArrayList<>(runner.arrived(List.of(f), datasetId, null));
        if (pipeline != null) {
            jobs.add(create(pipeline, f));
        }
        for (PipelineDefinition p : pipelines.triggered(appId)) {
            if ((pipeline == null || !p.id().equals(pipeline.id())) && PipelineDefinition.FILE_UPLOADED.equals(p.triggerEvent())
                    && p.triggerGlob().matches(f.name())) {
                jobs.add(create(p, f));
            }
        }
        return new Upload(f, jobs);
    }

    /// Queues a job running `pipeline` (as defined now) over `file`.
    public Job create(PipelineDefinition pipeline, CsvFile file) {
        return queue.enqueue(Job.queued(ids.next("job_"), file.appId(), pipeline.id(), file.id(), null,
                pipeline.definition().toString(), clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    /// Queues a job running `pipeline` on the file at `url`, which the job fetches first (through
    /// the SSRF guard, within the upload limit).
    public Job createFromUrl(PipelineDefinition pipeline, String url) {
        return queue.enqueue(Job.queued(ids.next("job_"), pipeline.appId(), pipeline.id(), null, url,
                pipeline.definition().toString(), clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    /// Queues a diff of two versions of a dataset of `appId`.
    public Job diff(String appId, DiffSpec spec) {
        return runner.diff(appId, spec);
    }

    /// Cancels a queued job, or stops a running one (at once when it runs on this node), and
    /// answers it as it is then; empty, and nothing done, when it had finished already.
    public Optional<Job> cancel(Job job) {
        if (job.status().finished()) {
            return Optional.empty();
        }
        Optional<Job> j = jobs.cancel(job.appId(), job.id(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        j.ifPresent(runner::cancelled);
        return j;
    }

    /// Cancels every queued and running job of the application (which is being deleted): a
    /// running one stops as cancelled, before the application's files go from under it.
    public void cancelAll(String appId) {
        for (Job.Status status : List.of(Job.Status.QUEUED, Job.Status.RUNNING)) {
            String after = null;
            Page<Job> page;
            do {
                page = jobs.list(appId, new PageRequest(100, after, false), null, status);
                page.data().forEach(this::cancel);
                after = page.iterator();
            } while (!page.done());
        }
    }

    public Optional<Job> find(String appId, String id) {
        return jobs.find(appId, id);
    }

    /// The application's jobs (every application's when `appId` is null: the console's), newest
    /// first; `fileId` and `status` filter when given.
    public Page<Job> list(String appId, PageRequest page, String fileId, Job.Status status) {
        return jobs.list(appId, page, fileId, status);
    }
}
