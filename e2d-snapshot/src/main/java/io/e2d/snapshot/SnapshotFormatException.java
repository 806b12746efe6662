package io.e2d.snapshot;

/** A snapshot's bytes are none of the known formats (gzip, zstd, e2d envelope, bbolt), or are corrupt. */
public final class SnapshotFormatException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was found. */
    public SnapshotFormatException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public SnapshotFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
