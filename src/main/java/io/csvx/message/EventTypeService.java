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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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

    /// The example payload of an event type (send-example): its schema's example at `index`, or
    /// one made from its schema; empty when it has neither.
    public Optional<String> example(EventType type, int index) {
        return Examples.of(type.schemas(), index, JSON).map(JsonNode::toString);
    }

    /// Registers CSV-X's own event types ([Events#PUBLISHED]) with their descriptions and JSON
    /// schemas, each unless it exists: a user's own definition of the name is left alone, and a
    /// node that loses the race to another registering it at the same start is content.
    public void registerOwn() {
        for (String name : Events.PUBLISHED) {
            if (store.find(name).isPresent()) {
                continue;
            }
            JsonNode catalogue = catalogue(name);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            try {
                store.create(new EventType(name, catalogue.path("description").asText(), false, false, null, null,
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

    /// What an import from OpenAPI changes (or, on a dry run, would change): the event types
    /// created or changed, and the ones archived because the document no longer has them.
    public record Imported(List<EventType> modified, List<String> archived) {
    }

    /// Creates or updates one event type per webhook of an OpenAPI document (schema as version
    /// "1"), leaving alone those it describes as they are; with `replaceAll`, archives the
    /// others (CSV-X's own excepted); with `dryRun`, changes nothing and answers what it would
    /// do. [IllegalArgumentException] when the document has no webhooks to read.
    public Imported importOpenApi(JsonNode spec, boolean dryRun, boolean replaceAll, Instant now) {
        List<EventType> modified = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (OpenApiWebhooks.Found f : OpenApiWebhooks.read(spec)) {
            named.add(f.name());
            String schemas = f.schema() == null ? null : JSON.createObjectNode().set("1", f.schema()).toString();
            Optional<EventType> existing = store.find(f.name());
            EventType wanted = new EventType(f.name(), f.description(), false, f.deprecated(),
                    f.featureFlags() != null ? f.featureFlags() : existing.map(EventType::featureFlags).orElse(null),
                    f.groupName() != null ? f.groupName() : existing.map(EventType::groupName).orElse(null), schemas,
                    existing.map(EventType::createdAt).orElse(now), now);
            if (existing.isPresent() && same(existing.get(), wanted)) {
                continue;
            }
            modified.add(dryRun ? wanted : existing.isPresent() ? store.update(wanted) : store.create(wanted));
        }
        List<String> archived = new ArrayList<>();
        if (replaceAll) {
            for (EventType t : catalogue()) {
                if (!t.archived() && !named.contains(t.name()) && !Events.PUBLISHED.contains(t.name())) {
                    archived.add(t.name());
                    if (!dryRun) {
                        store.delete(t.name(), false);
                    }
                }
            }
        }
        return new Imported(modified, archived);
    }

    private static boolean same(EventType a, EventType b) {
        return !a.archived() && a.deprecated() == b.deprecated() && Objects.equals(a.description(), b.description())
                && Objects.equals(a.featureFlags(), b.featureFlags()) && Objects.equals(a.groupName(), b.groupName())
                && Objects.equals(json(a.schemas()), json(b.schemas()));
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /// Every event type that is not archived, by name.
    public List<EventType> catalogue() {
        List<EventType> all = new ArrayList<>();
        String iterator = null;
        Page<EventType> page;
        do {
            page = store.list(new PageRequest(250, iterator, false), false);
            all.addAll(page.data());
            iterator = page.iterator();
        } while (!page.done());
        return all;
    }

    /// Archives the type (it stays readable), or removes it for good when `expunge`.
    public void delete(EventType type, boolean expunge) {
        store.delete(type.name(), expunge);
    }
}
