package io.csvx.pipeline;

import java.util.List;

/// One step of a pipeline, compiled against the header it receives.
sealed interface Step permits Steps.Select, Steps.Rename, Steps.Filter, Steps.Trim, Steps.Normalize, Steps.Dedupe,
        Steps.Validate {

    /// The step bound to an input header: its output header and what it does to a row.
    interface Bound {
        List<String> header();

        /// The row to pass on (possibly changed in place), or an outcome that stops it.
        Outcome apply(String[] row);
    }

    Bound bind(List<String> header);
}
