package io.csvx.job;

import io.csvx.file.CsvFile;
import io.csvx.store.Ids;
import io.csvx.store.PageRequest;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// Chained pipelines: when a job completes, each pipeline triggered by `job.completed` of its
/// pipeline gets a job per CSV output (whose name matches the trigger's glob, when it has one).
/// Following is idempotent, since it runs again when a crash came between a job's end and its
/// announcement: an output that already has a job of that pipeline gets no second one.
final class Chains {
    private static final Logger LOG = LoggerFactory.getLogger(Chains.class);

    private final PipelineStore pipelines;
    private final JobStore jobs;
    private final Ids ids;
    private final JobQueue queue;
    private final Clock clock;

    Chains(PipelineStore pipelines, JobStore jobs, Ids ids, JobQueue queue, Clock clock) {
        this.clock = clock;
        this.pipelines = pipelines;
        this.jobs = jobs;
        this.ids = ids;
        this.queue = queue;
    }

    /// True when a pipeline can be chained on outputs of this format: chained pipelines read CSV.
    static boolean chainable(String format) {
        return format != null && (format.equals("csv") || format.equals("tsv"));
    }

    /// Queues the jobs chained on `done`, a completed job that wrote `outputs`.
    List<Job> follow(Job done, List<CsvFile> outputs) {
        if (outputs.isEmpty()) {
            return List.of();
        }
        List<Job> started = new ArrayList<>();
        for (PipelineDefinition p : pipelines.triggered(done.appId())) {
            if (!PipelineDefinition.JOB_COMPLETED.equals(p.triggerEvent()) || !done.pipelineId().equals(p.triggerPipeline())) {
                continue;
            }
            for (CsvFile out : outputs) {
                if (p.triggerGlob() != null && !p.triggerGlob().matches(out.name())) {
                    continue;
                }
                if (!chainable(out.format())) {
                    LOG.warn("pipeline {} is chained on {}, whose output {} is {}, not CSV: not run", p.id(),
                            done.pipelineId(), out.id(), out.format());
                    continue;
                }
                boolean already = jobs.list(done.appId(), new PageRequest(250, null, false), out.id(), null)
                        .data().stream().anyMatch(j -> j.pipelineId().equals(p.id()));
                if (!already) {
                    started.add(queue.enqueue(Job.queued(ids.next("job_"), done.appId(), p.id(), out.id(), null,
                            p.definition().toString(), clock.instant().truncatedTo(ChronoUnit.MILLIS))));
                }
            }
        }
        return started;
    }
}
