package io.csvx.tenant;

import com.github.benmanes.caffeine.cache.LoadingCache;
import io.csvx.endpoint.EndpointService;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.ReadCache;
import io.csvx.store.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/// Applications: every change goes through here, so the lookup cache stays right and a delete
/// takes the application's files and cached endpoints with it. A delete answers at once; the
/// application's rows are removed in the background, in batches (see [#startRemoving]).
public final class TenantService {
    /// Told after an application was deleted, to remove what it held outside the database.
    @FunctionalInterface
    public interface Cleanup {
        void deleted(String appId) throws IOException;
    }

    /// Applications kept at most: the busiest publishers stay, a long tail does not grow the heap.
    private static final int CACHED = 10_000;

    private final AppStore store;
    private final EndpointService endpoints;
    private final LoadingCache<String, Application> byKey;
    /// Brandings by owner: every portal page shows one, so they are read once per cache period
    /// (another node's change is seen within it, this node's at once).
    private final LoadingCache<String, Branding> brandings;
    private final List<Cleanup> cleanups = new CopyOnWriteArrayList<>();
    private final Set<String> internal = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final Remover remover;

    public TenantService(AppStore store, EndpointService endpoints, Duration cacheTtl, Clock clock) {
        this.store = store;
        this.endpoints = endpoints;
        this.clock = clock;
        this.remover = new Remover(store);
        this.byKey = ReadCache.of(cacheTtl, CACHED, key -> find(key).orElse(null));
        this.brandings = ReadCache.of(cacheTtl, CACHED, o -> store.branding(o).orElse(Branding.NONE));
    }

    /// Registers what a delete must also remove (the application's stored files, say).
    public void onDelete(Cleanup cleanup) {
        cleanups.add(cleanup);
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

    /// Makes sure an application CSV-X keeps for itself exists (the operational webhooks' own):
    /// the delivery engine serves it like any other, but to the API it does not exist.
    public Application reserve(Application app) {
        internal.add(app.id());
        Optional<Application> existing = store.find(app.id());
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return store.create(app);
        } catch (StoreException.Conflict raced) {
            return store.find(app.id()).orElseThrow(() -> raced); // another node reserved it first
        }
    }

    public Optional<Application> find(String idOrUid) {
        return store.find(idOrUid).filter(a -> !internal.contains(a.id()));
    }

    /// As [#find], through a cache that lives one TTL: for the publish path, where a burst would
    /// otherwise read the application once per message. A change made through this service drops
    /// the entries at once; another node's change (or a lookup here that raced with one) is seen
    /// within the TTL.
    public Optional<Application> findCached(String idOrUid) {
        return Optional.ofNullable(byKey.get(idOrUid));
    }

    public Page<Application> list(PageRequest page) {
        return store.list(page, Set.copyOf(internal));
    }

    /// Replaces every field but id and createdAt; [StoreException.Conflict] when the uid is taken.
    public Application update(Application app) {
        Application updated = store.update(app);
        forget(app.id());
        return updated;
    }

    /// Deletes the application with everything it holds: at once for every lookup (its uid is
    /// free again), what the registered cleanups remove and what this node caches of it; its
    /// rows in the background, once [#startRemoving] was called on some node.
    public void delete(Application app) throws IOException {
        store.delete(app.id(), clock.instant());
        forget(app.id());
        endpoints.forgetApp(app.id());
        for (Cleanup c : cleanups) {
            c.deleted(app.id());
        }
        remover.wakeUp();
    }

    /// Starts removing the rows of deleted applications (this node's deletes, another node's and
    /// those a restart interrupted), a batch at a time, leaving the database free between batches.
    public void startRemoving() {
        remover.start();
    }

    /// Applications deleted whose rows are still being removed (a read of the database).
    public int deleting() {
        return store.deleted().size();
    }

    /// Stops removing; what is left is removed after the next start, here or on another node.
    public void close() {
        remover.close();
    }

    /// The server's own branding: what every portal shows unless its application has its own.
    public Branding globalBranding() {
        return brandingOf(AppStore.GLOBAL);
    }

    /// The application's own branding, without the server's.
    public Branding ownBranding(Application app) {
        return brandingOf(app.id());
    }

    /// What the application's portal shows: its own branding where set, the server's elsewhere.
    public Branding branding(Application app) {
        return ownBranding(app).over(globalBranding());
    }

    /// Keeps the branding of `app`, or the server's when `app` is null; answers what is wrong
    /// with it instead when [Branding#problem] finds something, and keeps nothing then.
    public Optional<String> setBranding(Application app, Branding branding, Instant now) {
        Optional<String> problem = branding.problem();
        if (problem.isEmpty()) {
            String owner = app == null ? AppStore.GLOBAL : app.id();
            store.setBranding(owner, branding, now);
            brandings.invalidate(owner);
        }
        return problem;
    }

    private Branding brandingOf(String owner) {
        return brandings.get(owner);
    }

    /// Drops what is cached of the application, after a change or when a publish found it gone.
    public void forget(String appId) {
        byKey.asMap().values().removeIf(app -> app.id().equals(appId));
        brandings.invalidate(appId);
    }
}
