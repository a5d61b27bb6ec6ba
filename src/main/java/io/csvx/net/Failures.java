package io.csvx.net;

import java.util.concurrent.TimeoutException;

/// Outbound request failures in a line a user can act on.
public final class Failures {
    private Failures() {
    }

    /// The SSRF guard's refusal as it is, "timed out", or the root cause's class and message.
    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof GuardedResolver.RefusedTarget) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof GuardedResolver.RefusedTarget) {
            return root.getMessage();
        }
        if (t instanceof TimeoutException || root instanceof TimeoutException) {
            return "timed out";
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
