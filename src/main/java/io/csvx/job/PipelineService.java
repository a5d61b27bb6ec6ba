package io.csvx.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.csv.CsvFormatException;
import io.csvx.csv.CsvInput;
import io.csvx.pipeline.Aggregate;
import io.csvx.pipeline.ExternalSorter;
import io.csvx.pipeline.Outcome;
import io.csvx.pipeline.Pipeline;
import io.csvx.pipeline.PipelineException;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/// Saved pipelines and the rules of their triggers: a glob must compile, and a chain must name a
/// pipeline of the same application that writes CSV and must not come back to itself.
public final class PipelineService {
    /// The most input rows a dry run reads.
    public static final int DRY_RUN_ROWS = 10_000;
    // text after the definition is a mistake, not something to ignore
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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

    /// A definition as a person types it: a JSON object with `steps` and optionally `output` and `alerts`,
    /// checked by the parser the jobs use. [PipelineException] names the step and field at fault.
    public static ObjectNode definition(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root != null && root.isObject()) {
            for (var it = root.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("steps") && !f.equals("output") && !f.equals("alerts")) {
                    throw new PipelineException("unknown field '" + f + "': a definition has steps, output and alerts");
                }
            }
        }
        check(text == null ? "" : text);
        return (ObjectNode) root;
    }

    /// Checks a definition with the parser the jobs use; [PipelineException] names what is wrong.
    public static void check(String definition) {
        Pipeline.parse(definition);
    }

    /// Runs a definition on the first [#DRY_RUN_ROWS] rows of `input`, keeping the first `sample`
    /// rows out and rejected; writes nothing.
    public DryRun dryRun(ObjectNode definition, CsvInput input, int sample) {
        Pipeline.Run run;
        try {
            run = Pipeline.parse(definition.toString()).bind(input.header());
        } catch (PipelineException e) {
            return new DryRun.Failed(e.getMessage());
        }
        List<DryRun.Rejected> rejected = new ArrayList<>();
        long read = 0;
        long kept = 0;
        long skipped = 0;
        long rejectedCount = 0;
        boolean more = false;
        Aggregate.Bound aggregation = run.aggregation();
        try (ExternalSorter sorter = aggregation != null ? new ExternalSorter(aggregation.order(), Integer.MAX_VALUE, null)
                : new ExternalSorter(run.header(), run.sort(), Integer.MAX_VALUE, null)) {
            CsvInput.Row row;
            while ((row = input.next()) != null) {
                if (read == DRY_RUN_ROWS) {
                    more = true;
                    break;
                }
                read++;
                String[] fields = row.fields().toArray(String[]::new);
                switch (run.apply(fields)) {
                    case Outcome.Keep k -> {
                        kept++;
                        // with a sort or groups, every kept row may count among the first out; else the first
                        if (!run.sort().isEmpty() || aggregation != null || kept <= sample) {
                            sorter.add(row.line(), k.row().clone());
                        }
                    }
                    case Outcome.Skip x -> skipped++;
                    case Outcome.Reject r -> {
                        if (++rejectedCount <= sample) {
                            rejected.add(new DryRun.Rejected(row.line(), row.fields(), r.reason()));
                        }
                    }
                }
            }
            List<List<String>> out = new ArrayList<>();
            if (aggregation != null) {
                Aggregate.Bound.Groups groups = aggregation.groups();
                sorter.drain((line, r) -> {
                    String[] done = groups.add(r);
                    if (done != null && out.size() < sample) {
                        out.add(Arrays.asList(done));
                    }
                });
                String[] last = groups.finish();
                if (last != null && out.size() < sample) {
                    out.add(Arrays.asList(last));
                }
            } else {
                sorter.drain((line, r) -> {
                    if (out.size() < sample) {
                        out.add(Arrays.asList(r));
                    }
                });
            }
            return new DryRun.Ran(run.header(), out, rejected, read, kept, skipped, rejectedCount, more);
        } catch (CsvFormatException e) {
            return new DryRun.Failed("the file is not CSV CSV-X can read" + (e.line() > 0 ? " at line " + e.line() : "")
                    + ": " + e.getMessage());
        } catch (IOException e) {
            return new DryRun.Failed("the file could not be read: " + e.getMessage());
        }
    }
}
