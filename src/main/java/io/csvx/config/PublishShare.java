package io.csvx.config;

/// How many publish requests of one application a node handles at once (`--app-publish-concurrency`),
/// the rest waiting their turn.
///
/// @param perApp         requests of one application at once; 0 for no limit
/// @param onlyWhenShared the limit holds only while another application publishes on the node too,
///                       so that an application alone keeps the whole node
public record PublishShare(int perApp, boolean onlyWhenShared) {

    public PublishShare {
        if (perApp < 0) {
            throw new IllegalArgumentException("--app-publish-concurrency must be auto, 0 (no limit) or more");
        }
    }

    /// No limit.
    public static final PublishShare NONE = new PublishShare(0, false);

    /// The default: while applications share the node, each handles at most twice as many
    /// publishes at once as the node has cores (at least 4). Measured on 2 cores beside a flood:
    /// with 4 a quiet application's p99 was 28 to 64 ms (3 of 7 runs under 50), with 8 and 16 86
    /// to 174 ms, unbounded 92 to 164 ms (docs/benchmarks.md).
    public static PublishShare auto(int cores) {
        return new PublishShare(Math.max(4, 2 * cores), true);
    }

    /// `auto`, `0` (no limit) or a number (that many, always).
    public static PublishShare parse(String text, int cores) {
        String t = text.strip();
        if (t.equalsIgnoreCase("auto")) {
            return auto(cores);
        }
        try {
            int n = Integer.parseInt(t);
            return n == 0 ? NONE : new PublishShare(n, false);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--app-publish-concurrency must be auto, 0 (no limit) or a number, not '"
                    + text + "'");
        }
    }

    @Override
    public String toString() {
        return perApp == 0 ? "0 (no limit)" : onlyWhenShared ? "auto (" + perApp + " while shared)" : Integer.toString(perApp);
    }
}
