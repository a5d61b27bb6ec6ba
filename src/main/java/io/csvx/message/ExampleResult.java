package io.csvx.message;

/// What sending an example of an event type to an endpoint came to.
public sealed interface ExampleResult {
    /// Published to the endpoint alone, and listed like any message.
    record Sent(Message message) implements ExampleResult {
    }

    /// The event type lists no example at that index, and (at index 0) has no schema to make one from.
    record NoExample() implements ExampleResult {
    }

    /// The endpoint is disabled: it is enabled before anything is sent to it.
    record EndpointDisabled() implements ExampleResult {
    }
}
