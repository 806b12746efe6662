package io.e2d.snapshot;

/** A snapshot is encrypted (it holds the {@code ENCRYPTED:} envelope) but no key was given to decode it. */
public final class SnapshotKeyRequiredException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says how to pass the key. */
    public SnapshotKeyRequiredException(String message) {
        super(message);
    }
}
