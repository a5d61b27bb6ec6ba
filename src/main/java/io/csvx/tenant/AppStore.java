package io.csvx.tenant;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
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

    /// Deletes the application; its rows in other tables go with it, its branding included.
    boolean delete(String id);

    /// The branding kept for `owner`: an application's id, or [#GLOBAL] for the server's.
    Optional<Branding> branding(String owner);

    /// Keeps `branding` for `owner`, replacing what was kept; an empty one removes it.
    void setBranding(String owner, Branding branding, java.time.Instant now);

    /// The owner of the server's own branding.
    String GLOBAL = "*";
}
