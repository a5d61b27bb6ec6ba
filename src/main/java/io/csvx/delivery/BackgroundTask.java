package io.csvx.delivery;

import java.time.Instant;
import java.util.List;

/// A long piece of delivery work on one endpoint, done in batches and visible while it runs.
///
/// @param cursor    the id of the last message handled (null before the first batch)
/// @param scanned   messages looked at so far
/// @param scheduled deliveries made due so far
public record BackgroundTask(String id, Kind kind, Status status, String appId, String endpointId, Params params,
                             String cursor, long scanned, long scheduled, String error, Instant createdAt,
                             Instant updatedAt) {

    /// What the task does; `wire` is Svix's BackgroundTaskType.
    public enum Kind {
        /// the endpoint's failed deliveries made due again
        RECOVER("endpoint.recover"),
        /// messages the endpoint never had, delivered to it now
        REPLAY_MISSING("endpoint.replay"),
        /// messages the endpoint had, delivered again
        BULK_REPLAY("endpoint.bulk-replay");

        public final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public static Kind ofWire(String wire) {
            for (Kind k : values()) {
                if (k.wire.equals(wire)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no background task kind " + wire);
        }
    }

    /// Svix's BackgroundTaskStatus.
    public enum Status {
        RUNNING, FINISHED, FAILED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status ofWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /// Which messages a task covers: created in [since, until) (until null: up to when it started),
    /// and for a bulk replay optionally only those of these event types, channel or tag, whose
    /// delivery has this status, or whose attempts include this status code class.
    public record Params(Instant since, Instant until, List<String> eventTypes, String channel, String tag,
                         Integer status, Integer statusCodeClass) {
        public static Params range(Instant since, Instant until) {
            return new Params(since, until, null, null, null, null, null);
        }
    }

    /// One batch's work, committed with the task's progress.
    ///
    /// @param cursor    the last message id of the batch (null when it held none)
    /// @param done      no message is left after this batch
    public record Step(String cursor, int scanned, int scheduled, boolean done) {
    }
}
