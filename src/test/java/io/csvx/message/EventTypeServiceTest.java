package io.csvx.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csvx.store.Ids;
import io.csvx.store.PageRequest;
import io.csvx.store.jdbc.JdbcStores;
import io.csvx.store.jdbc.Stores;
import io.csvx.store.sqlite.SqliteDb;
import io.csvx.testing.TestKeys;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// CSV-X's own event types come from the catalogue's resources, and never replace a user's.
class EventTypeServiceTest {
    @TempDir
    Path dir;

    @Test
    void everyPublishedEventIsRegisteredWithItsSchemaOnceAndAUsersOwnIsKept() throws Exception {
        try (Stores stores = JdbcStores.create(SqliteDb.open(dir), TestKeys.sealer())) {
            Instant t0 = Instant.now();
            stores.eventTypes().create(new EventType(Events.JOB_FAILED, "ours", false, false, null, null, null, t0, t0));
            EventTypeService types = new EventTypeService(stores.eventTypes());
            types.registerOwn();
            types.registerOwn(); // a second start changes nothing

            for (String name : Events.PUBLISHED) {
                EventType t = types.find(name).orElseThrow();
                if (name.equals(Events.JOB_FAILED)) {
                    assertThat(t.description()).isEqualTo("ours");
                    continue;
                }
                assertThat(t.description()).as(name).isNotBlank();
                JsonNode schema = new ObjectMapper().readTree(t.schemas()).path("1");
                assertThat(schema.path("title").asText()).as(name).isEqualTo(name);
                assertThat(schema.path("properties").path("type").path("const").asText()).as(name).isEqualTo(name);
                assertThat(schema.path("required")).as(name).extracting(JsonNode::asText)
                        .containsExactly("type", "timestamp", "data");
            }
            assertThat(types.list(new PageRequest(250, null, false), false).data())
                    .hasSize(Events.PUBLISHED.size());
        }
    }
}
