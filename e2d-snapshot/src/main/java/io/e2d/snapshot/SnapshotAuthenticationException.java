package io.e2d.snapshot;

/**
 * An encrypted snapshot failed authentication: its HMAC does not match (the snapshot was altered,
 * or it was written with another key) or it ends before its MAC (truncated). No byte of such a
 * snapshot may reach etcd; restore paths delete what they decoded and leave the data dir alone.
 */
public final class SnapshotAuthenticationException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message should name the snapshot and hint at {@code --ca-key}. */
    public SnapshotAuthenticationException(String message) {
        super(message);
    }
}
