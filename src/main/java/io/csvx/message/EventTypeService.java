package io.csvx.message;

import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    /// Registers one of CSV-X's own event types with its JSON schema (one line), unless it exists:
    /// a user's own definition of the name is left alone, and a node that loses the race to
    /// another registering it at the same start is content.
    public void registerIfAbsent(String name, String description, String schema) {
        if (store.find(name).isPresent()) {
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try {
            store.create(new EventType(name, description, false, false, null, schema.replaceAll("\\s*\\n\\s*", " "),
                    now, now));
        } catch (StoreException.Conflict raced) {
            // another node registered it first
        }
    }

    /// Archives the type (it stays readable), or removes it for good when `expunge`.
    public void delete(EventType type, boolean expunge) {
        store.delete(type.name(), expunge);
    }
}
