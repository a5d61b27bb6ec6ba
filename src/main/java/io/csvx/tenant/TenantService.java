package io.csvx.tenant;

import io.csvx.endpoint.EndpointService;
import io.csvx.file.FileService;
import io.csvx.store.AppStore;
import io.csvx.store.Application;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import io.csvx.store.TtlCache;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/// Applications: every change goes through here, so the lookup cache stays right and a delete
/// takes the application's files and cached endpoints with it.
public final class TenantService {
    private final AppStore store;
    private final EndpointService endpoints;
    private final FileService files;
    private final TtlCache<String, Application> byKey;

    public TenantService(AppStore store, EndpointService endpoints, FileService files, Duration cacheTtl) {
        this.store = store;
        this.endpoints = endpoints;
        this.files = files;
        this.byKey = new TtlCache<>(cacheTtl);
    }

    /// Inserts; [StoreException.Conflict] when the uid is taken.
    public Application create(Application app) {
        return store.create(app);
    }

    /// Inserts, or answers the application that already holds the uid (created earlier or
    /// concurrently): Svix's `get_if_exists`.
    public Created createIfAbsent(Application app) {
        if (app.uid() != null) {
            Optional<Application> existing = store.find(app.uid());
            if (existing.isPresent()) {
                return new Created(existing.get(), false);
            }
        }
        try {
            return new Created(store.create(app), true);
        } catch (StoreException.Conflict conflict) {
            return new Created(store.find(app.uid()).orElseThrow(() -> conflict), false);
        }
    }

    /// An application and whether this call made it.
    public record Created(Application app, boolean isNew) {
    }

    public Optional<Application> find(String idOrUid) {
        return store.find(idOrUid);
    }

    /// As [#find], through a cache that lives one TTL: for the publish path, where a burst would
    /// otherwise read the application once per message.
    public Optional<Application> findCached(String idOrUid) {
        return byKey.get(idOrUid, store::find);
    }

    public Page<Application> list(PageRequest page) {
        return store.list(page);
    }

    /// Replaces every field but id and createdAt; [StoreException.Conflict] when the uid is taken.
    public Application update(Application app) {
        Application updated = store.update(app);
        forget(app.id());
        return updated;
    }

    /// Deletes the application with everything it holds: rows (the store cascades), stored files,
    /// and what this node caches of it.
    public void delete(Application app) throws IOException {
        store.delete(app.id());
        files.deleteAll(app.id());
        forget(app.id());
        endpoints.forgetApp(app.id());
    }

    /// Drops what is cached of the application, after a change or when a publish found it gone.
    public void forget(String appId) {
        byKey.invalidateIf(app -> app.id().equals(appId));
    }
}
