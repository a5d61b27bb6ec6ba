package io.csvx.store;

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
