package io.csvx.source;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.util.Optional;

/// Sources (incoming webhook endpoints) and their request logs; what arrives at a source is
/// [IngestService]'s.
public final class SourceService {
    private final SourceStore store;

    public SourceService(SourceStore store) {
        this.store = store;
    }

    /// Inserts; [io.csvx.store.StoreException.Conflict] when the uid is taken in the application.
    public Source create(Source source) {
        return store.create(source);
    }

    public Optional<Source> find(String appId, String idOrUid) {
        return store.find(appId, idOrUid);
    }

    public Page<Source> list(String appId, PageRequest page) {
        return store.list(appId, page);
    }

    public Source update(Source source) {
        return store.update(source);
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
}
