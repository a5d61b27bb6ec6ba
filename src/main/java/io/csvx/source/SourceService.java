package io.csvx.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csvx.job.PipelineService;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.util.Optional;
import java.util.Set;

/// Sources (incoming webhook endpoints) and their request logs; what arrives at a source is
/// [IngestService]'s. Definitions are checked here before they are kept, and the secrets in a
/// verification never leave: answers show [#HIDDEN], and `[hidden]` sent back keeps the stored
/// value.
public final class SourceService {
    /// What an answer shows in place of a verification secret.
    public static final String HIDDEN = "[hidden]";
    /// Fields of a verification that hold secrets.
    private static final Set<String> SECRET_FIELDS = Set.of("secret", "password", "key");

    private final SourceStore store;
    private final PipelineService pipelines;

    public SourceService(SourceStore store, PipelineService pipelines) {
        this.store = store;
        this.pipelines = pipelines;
    }

    /// Checks and inserts; [SourceException] names the field at fault,
    /// [io.csvx.store.StoreException.Conflict] says the uid is taken in the application.
    public Source create(Source source) {
        check(source);
        return store.create(source);
    }

    /// Checks and replaces `old` with `next`; a verification secret sent back as [#HIDDEN] (for
    /// the same scheme) keeps the stored one.
    public Source update(Source old, Source next) {
        ObjectNode verification = next.verification().deepCopy();
        for (String f : SECRET_FIELDS) {
            if (verification.path(f).asText("").equals(HIDDEN) && old.verification().has(f)
                    && verification.path("type").asText("").equals(old.verification().path("type").asText())) {
                verification.set(f, old.verification().get(f));
            }
        }
        Source source = new Source(next.id(), next.appId(), next.uid(), next.name(), verification, next.action(),
                next.dedup(), next.createdAt(), next.updatedAt());
        check(source);
        return store.update(source);
    }

    /// The verification as answers show it: every secret [#HIDDEN].
    public static ObjectNode visibleVerification(Source source) {
        ObjectNode v = source.verification().deepCopy();
        for (String f : SECRET_FIELDS) {
            if (v.has(f)) {
                v.put(f, HIDDEN);
            }
        }
        return v;
    }

    public Optional<Source> find(String appId, String idOrUid) {
        return store.find(appId, idOrUid);
    }

    public Page<Source> list(String appId, PageRequest page) {
        return store.list(appId, page);
    }

    public void delete(Source source) {
        store.delete(source.appId(), source.id());
    }

    /// The source's received requests, newest first by default.
    public Page<InboundRequest> requests(Source source, PageRequest page) {
        return store.requests(source.id(), page);
    }

    public Optional<InboundRequest> request(Source source, String requestId) {
        return store.request(source.id(), requestId);
    }

    private void check(Source s) {
        Definition d = definition(s);
        if (d.action() instanceof Definition.RunPipeline p && pipelines.find(s.appId(), p.pipelineId()).isEmpty()) {
            throw new SourceException("action.pipelineId", "no pipeline '" + p.pipelineId() + "' in this application");
        }
    }

    /// Parses a source's definition: how it verifies, acts and spots duplicates.
    static Definition definition(Source s) {
        return Definition.parse(s.verification(), s.action(), s.dedup());
    }
}
