package io.csvx.job;

import io.csvx.pipeline.Pipeline;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.util.Optional;

/// Saved pipelines and the rules of their triggers: a glob must compile, and a chain must name a
/// pipeline of the same application that writes CSV and must not come back to itself.
public final class PipelineService {
    private final PipelineStore store;

    public PipelineService(PipelineStore store) {
        this.store = store;
    }

    /// Inserts; [io.csvx.store.StoreException.Conflict] when the uid is taken.
    public PipelineDefinition create(PipelineDefinition p) {
        return store.create(p);
    }

    public Optional<PipelineDefinition> find(String appId, String idOrUid) {
        return store.find(appId, idOrUid);
    }

    public Page<PipelineDefinition> list(String appId, PageRequest page) {
        return store.list(appId, page);
    }

    /// Replaces the definition; jobs already queued keep the one they were created with.
    public PipelineDefinition update(PipelineDefinition p) {
        return store.update(p);
    }

    public void delete(PipelineDefinition p) {
        store.delete(p.appId(), p.id());
    }

    /// The pipeline that a pipeline `selfId` of `appId` may be chained on, named by `upstreamRef`
    /// (id or uid); the exception's message says why it may not.
    public PipelineDefinition upstream(String appId, String selfId, String upstreamRef) {
        PipelineDefinition upstream = upstreamRef.isEmpty() ? null : store.find(appId, upstreamRef).orElse(null);
        if (upstream == null) {
            throw new IllegalArgumentException("pipeline: the id or uid of a pipeline of this application whose completed"
                    + " jobs' outputs this one runs on" + (upstreamRef.isEmpty() ? "" : " (no '" + upstreamRef + "')"));
        }
        String format = Pipeline.parse(upstream.definition().toString()).outputFormat();
        if (!Chains.chainable(format)) {
            throw new IllegalArgumentException("pipeline: " + upstream.id() + " writes " + (format == null ? "ndjson" : format)
                    + "; a chained pipeline reads CSV, so its output.format must be csv or tsv");
        }
        // each pipeline has one upstream: following them from here must never come back
        for (PipelineDefinition p = upstream; p != null; ) {
            if (p.id().equals(selfId)) {
                throw new IllegalArgumentException("pipeline: chaining on " + upstream.id() + " would make a loop");
            }
            p = p.triggerPipeline() == null ? null : store.find(appId, p.triggerPipeline()).orElse(null);
        }
        return upstream;
    }
}
