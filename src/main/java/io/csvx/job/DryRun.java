package io.csvx.job;

import java.util.List;

/// What a pipeline would make of the first rows of a file, without writing anything: the
/// console's dry run.
public sealed interface DryRun permits DryRun.Ran, DryRun.Failed {
    /// A row kept apart, with the input line it started on and the step's reason.
    record Rejected(long line, List<String> row, String reason) {
    }

    /// The pipeline ran on the first [#read] rows of the file (all of them unless [#more]).
    ///
    /// @param header   the header of the rows it produces
    /// @param out      the first rows out, in the order the job would write them
    /// @param rejected the first rows rejected
    /// @param kept     how many of the rows read it kept, skipped and rejected
    record Ran(List<String> header, List<List<String>> out, List<Rejected> rejected, long read, long kept,
               long skipped, long rejectedCount, boolean more) implements DryRun {
    }

    /// The pipeline could not run on this file: a column it names is not in the header, or the
    /// file could not be read. The message names the step at fault.
    record Failed(String problem) implements DryRun {
    }
}
