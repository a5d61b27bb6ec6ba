package io.csvx.tenant;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/// Applications. `idOrUid` accepts either the `app_` id or the caller's uid.
public interface AppStore {
    /// Inserts; [StoreException.Conflict] when the uid is taken.
    Application create(Application app);

    Optional<Application> find(String idOrUid);

    /// Applications but those in `hidden`.
    Page<Application> list(PageRequest page, Set<String> hidden);

    /// Replaces every field but id and createdAt; [StoreException.Conflict] when the uid is taken.
    Application update(Application app);

    /// Marks the application deleted at `at`: from now on no lookup finds it, its uid is free, its
    /// portal tokens and branding are gone and its endpoints disabled; its other rows stay until
    /// [#purge] removes them. False when no live application has the id.
    boolean delete(String id, Instant at);

    /// Applications marked deleted whose rows are not all removed yet, the oldest first.
    List<String> deleted();

    /// Removes, in one transaction, up to `batch` messages of the deleted application `id` (with
    /// their deliveries and attempts), or when none are left up to `batch` requests its sources
    /// received, or when none are left the application itself with every row it still owns.
    /// Answers the messages or requests removed: 0 once the application is gone.
    int purge(String id, int batch);

    /// The branding kept for `owner`: an application's id, or [#GLOBAL] for the server's.
    Optional<Branding> branding(String owner);

    /// Keeps `branding` for `owner`, replacing what was kept; an empty one removes it.
    void setBranding(String owner, Branding branding, Instant now);

    /// The owner of the server's own branding.
    String GLOBAL = "*";
}
