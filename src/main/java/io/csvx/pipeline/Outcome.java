package io.csvx.pipeline;

/// What a pipeline, or one step of it, did with a row.
public sealed interface Outcome permits Outcome.Keep, Outcome.Skip, Outcome.Reject {
    /// Passed on, possibly reshaped.
    record Keep(String[] row) implements Outcome {
    }

    /// Filtered out, or a duplicate: not an error.
    record Skip() implements Outcome {
    }

    /// Failed validation: kept apart, with the reason.
    record Reject(String reason) implements Outcome {
    }
}
