package io.csvx.message;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.util.Optional;

/// Event types, global to the installation.
public interface EventTypeStore {
    EventType create(EventType type);

    Optional<EventType> find(String name);

    Page<EventType> list(PageRequest page, boolean includeArchived);

    EventType update(EventType type);

    /// Archives, or removes the row when `expunge`.
    boolean delete(String name, boolean expunge);
}
