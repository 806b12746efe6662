package io.e2d.snapshot;

/** No snapshot exists at the given location, or the named snapshot does not exist there. */
public final class SnapshotNotFoundException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the location. */
    public SnapshotNotFoundException(String message) {
        super(message);
    }
}
