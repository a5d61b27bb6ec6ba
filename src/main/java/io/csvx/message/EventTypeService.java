package io.csvx.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.store.Page;
import io.csvx.store.PageRequest;
import io.csvx.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/// Event types, global to the installation: what messages may be published as and what
/// endpoints filter on.
public final class EventTypeService {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /// Registers CSV-X's own event types ([Events#PUBLISHED]) with their descriptions and JSON
    /// schemas, each unless it exists: a user's own definition of the name is left alone, and a
    /// node that loses the race to another registering it at the same start is content.
    /// The example payload of an event type (send-example): the event type's schema example at `index`, or one made from
    /// its schema; empty when it has neither.
    public Optional<String> example(EventType type, int index) {
        return Examples.of(type.schemas(), index, JSON).map(JsonNode::toString);
    }

    public void registerOwn() {
        for (String name : Events.PUBLISHED) {
            if (store.find(name).isPresent()) {
                continue;
            }
            JsonNode catalogue = catalogue(name);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            try {
                store.create(new EventType(name, catalogue.path("description").asText(), false, false, null,
                        catalogue.path("schemas").toString(), now, now));
            } catch (StoreException.Conflict raced) {
                // another node registered it first
            }
        }
    }

    private static JsonNode catalogue(String name) {
        try (InputStream in = Events.class.getResourceAsStream("events/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no catalogue entry events/" + name + ".json");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// Archives the type (it stays readable), or removes it for good when `expunge`.
    public void delete(EventType type, boolean expunge) {
        store.delete(type.name(), expunge);
    }
}
