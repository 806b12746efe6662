package io.e2d.core.manager;

/**
 * The snapshot store holds snapshots but none of them can be read and verified. The manager refuses
 * to seed an empty cluster in that case: starting empty would silently throw the backups away.
 */
public final class UnverifiableSnapshotException extends ManagerException {
    private static final long serialVersionUID = 1L;

    public UnverifiableSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
