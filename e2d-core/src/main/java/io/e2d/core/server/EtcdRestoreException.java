package io.e2d.core.server;

import io.e2d.core.E2dException;
import java.util.List;

/**
 * Restoring a data dir from a snapshot failed: the target is not empty, the snapshot is corrupt, or
 * the restore tool failed ({@link #toolOutput()} holds its last lines).
 */
public final class EtcdRestoreException extends E2dException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> toolOutput;

    public EtcdRestoreException(String message, List<String> toolOutput) {
        super(message);
        this.toolOutput = List.copyOf(toolOutput);
    }

    public EtcdRestoreException(String message, Throwable cause) {
        super(message, cause);
        this.toolOutput = List.of();
    }

    /** The last output lines of {@code etcdctl}/{@code etcdutl}, empty when it did not run. */
    public List<String> toolOutput() {
        return toolOutput == null ? List.of() : toolOutput;
    }
}
