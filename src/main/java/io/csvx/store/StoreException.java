package io.csvx.store;

/// A storage failure that is not the caller's fault.
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /// A unique value (uid, eventId, name) is already taken.
    public static final class Conflict extends StoreException {
        private static final long serialVersionUID = 1L;

        public Conflict(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /// A row the write refers to is gone (a foreign key found nothing): deleted meanwhile, on
    /// another node or by a request that committed first.
    public static final class Gone extends StoreException {
        private static final long serialVersionUID = 1L;

        public Gone(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /// The database cannot be used as it is (missing while the data dir shows it was used,
    /// damaged, not a database): a node must not start on it. The message is one line for the
    /// operator, naming the file.
    public static final class Unusable extends StoreException {
        private static final long serialVersionUID = 1L;

        public Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
