package io.csvx.source;

import java.util.List;

/// What became of a request sent to a source (or of a replay): the HTTP layer turns each into a
/// status and a body.
public sealed interface IngestResult {
    /// No source has this id.
    record UnknownSource(String sourceId) implements IngestResult {
    }

    /// Not let through: unsigned, tampered with, stale, or the source's definition is incomplete.
    /// `challenge` is what the scheme asks for (`WWW-Authenticate`).
    record Refused(String reason, String challenge) implements IngestResult {
    }

    /// Refused, and the source has refused too many requests lately: not verified further or
    /// logged; the sender may try again after `retryAfterSeconds`.
    record Throttled(long retryAfterSeconds) implements IngestResult {
    }

    /// Larger than the source takes; nothing was acted on.
    record TooLarge(String detail) implements IngestResult {
    }

    /// A repeat of an earlier request: logged as `requestId`, and nothing triggered again.
    record Duplicate(String requestId) implements IngestResult {
    }

    /// Verified, stored and acted on: what it triggered.
    record Accepted(String requestId, Outcome outcome) implements IngestResult {
    }

    /// Verified and stored, but the action could not use the body: `reason` says why.
    record Unprocessable(String requestId, String reason) implements IngestResult {
    }

    /// A replay that cannot run: the original was not verified, or its body is gone.
    record CannotReplay(String detail) implements IngestResult {
    }

    /// What an action triggered: a message (`emit`), or a stored file and the jobs it started
    /// (`pipeline`; a job that fetches a URL has no file). Absent parts are null or empty.
    record Outcome(String messageId, String fileId, List<String> jobIds) {
    }
}
