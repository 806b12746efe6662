package io.e2d.snapshot;

/**
 * Base of every unchecked exception thrown by e2d-snapshot. Subclasses name the condition a caller
 * acts on: {@link SnapshotAuthenticationException}, {@link SnapshotFormatException},
 * {@link SnapshotKeyRequiredException}, {@link SnapshotNotFoundException}.
 */
public class SnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says what was expected, what was found and the fix. */
    public SnapshotException(String message) {
        super(message);
    }

    /** Creates an exception with a message and its cause. */
    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
