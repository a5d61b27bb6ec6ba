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

    boolean delete(String id);
}
