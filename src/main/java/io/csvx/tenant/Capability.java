package io.csvx.tenant;

import java.util.Arrays;

/// What an application-scoped token may do, spelled as Svix spells it.
public enum Capability {
    /// Read everything of the application but endpoint secrets.
    ViewBase,
    /// Read endpoint secrets.
    ViewEndpointSecret,
    /// Rotate (and read) endpoint secrets.
    ManageEndpointSecret,
    /// Change endpoint transformations; CSV-X has none, so this grants nothing more.
    ManageTransformations,
    /// Resend and recover messages, send examples.
    CreateAttempts,
    /// Create, change and delete endpoints, secrets included.
    ManageEndpoint;

    /// The capability of that name; [IllegalArgumentException] names the known ones.
    public static Capability of(String name) {
        return Arrays.stream(values()).filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not one of "
                        + Arrays.toString(values())));
    }
}
