package io.csvx.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.csvx.endpoint.Endpoint;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadFiltersTest {
    private final PayloadFilters filters = new PayloadFilters();

    private boolean matches(String filter, String payload) {
        Endpoint e = new Endpoint("ep_1", "app_1", null, "http://127.0.0.1:9/", "", false, null, null, null, "{}",
                Map.of(), null, Instant.EPOCH, Instant.EPOCH, null).withFilter(filter);
        return filters.matches(e, new PayloadFilters.Payload(payload));
    }

    @Test
    void fieldsAreDottedPathsOrJsonPointers() {
        String payload = """
                {"type": "file.uploaded", "data": {"file": {"name": "orders-1.csv", "rows": 1200, "ok": true},
                 "tags": ["a", "b"], "missing": null}}""";
        assertThat(matches("data.file.rows > 1000 and data.file.name startsWith \"orders-\"", payload)).isTrue();
        assertThat(matches("data.file.rows > 5000", payload)).isFalse();
        assertThat(matches("`/data/file/name` = 'orders-1.csv'", payload)).isTrue();
        assertThat(matches("data.tags.1 = 'b'", payload)).isTrue();
        assertThat(matches("data.file.ok = 'true'", payload)).isTrue();
        assertThat(matches("data.missing is empty and data.nowhere is empty", payload)).isTrue();
        assertThat(matches("data.file contains 'orders'", payload)).isTrue(); // an object is its JSON
        assertThat(matches(null, payload)).isTrue();
        assertThat(matches("type = 'x'", "not json")).isFalse();
    }
}
