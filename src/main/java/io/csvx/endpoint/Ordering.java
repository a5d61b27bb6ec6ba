package io.csvx.endpoint;

import java.util.Optional;

/// Whether an endpoint receives the messages of one ordering key one at a time, in publish order,
/// and what a message that failed for good does to the rest of its key.
public enum Ordering {
    /// Messages go out in parallel, whatever their key.
    OFF,
    /// The key waits behind a message that failed for good until it is resent and delivered.
    BLOCK,
    /// The key moves on past a message that failed for good.
    SKIP;

    /// The name in the API and the database: `off`, `block` or `skip`.
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /// The ordering named `name` (`off`, `block` or `skip`), or empty.
    public static Optional<Ordering> of(String name) {
        for (Ordering o : values()) {
            if (o.wire().equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
