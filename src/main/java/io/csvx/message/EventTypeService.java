package io.csvx.message;

import io.csvx.store.EventType;
import io.csvx.store.EventTypeStore;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import java.util.Optional;

/// Event types, global to the installation: what messages may be published as and what
/// endpoints filter on.
public final class EventTypeService {
    private final EventTypeStore store;

    public EventTypeService(EventTypeStore store) {
        this.store = store;
    }

    /// Inserts; [io.csvx.store.StoreException.Conflict] when the name is taken.
    public EventType create(EventType type) {
        return store.create(type);
    }

    public Optional<EventType> find(String name) {
        return store.find(name);
    }

    public Page<EventType> list(PageRequest page, boolean includeArchived) {
        return store.list(page, includeArchived);
    }

    public EventType update(EventType type) {
        return store.update(type);
    }

    /// Archives the type (it stays readable), or removes it for good when `expunge`.
    public void delete(EventType type, boolean expunge) {
        store.delete(type.name(), expunge);
    }
}
