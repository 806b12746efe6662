package io.e2d.core.server;

import io.e2d.core.E2dException;
import java.util.List;
import java.util.OptionalInt;

/**
 * etcd did not become healthy. {@link #reason()} says why in a form a caller can act on, and {@link
 * #lastLogLines()} carries etcd's own last output lines (the message quotes the most relevant one).
 */
public final class EtcdStartException extends E2dException {
    private static final long serialVersionUID = 1L;

    /** Why a start failed. */
    public enum Reason {
        /** A client or peer port is already taken by another process. */
        PORT_IN_USE,
        /** The data dir cannot be created, written or read. */
        DATA_DIR,
        /** TLS files are missing or invalid. */
        TLS,
        /** etcd exited during start-up for another reason (see the log lines). */
        EXITED,
        /** etcd kept running but did not report healthy within the start timeout. */
        TIMEOUT
    }

    private final Reason reason;
    private final transient List<String> lastLogLines;
    private final Integer exitCode;

    public EtcdStartException(String message, Reason reason, List<String> lastLogLines, OptionalInt exitCode) {
        this(message, reason, lastLogLines, exitCode, null);
    }

    public EtcdStartException(
            String message,
            Reason reason,
            List<String> lastLogLines,
            OptionalInt exitCode,
            @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.lastLogLines = List.copyOf(lastLogLines);
        this.exitCode = exitCode.isPresent() ? exitCode.getAsInt() : null;
    }

    /** Why etcd did not start. */
    public Reason reason() {
        return reason;
    }

    /** etcd's last output lines before the failure, oldest first (may be empty). */
    public List<String> lastLogLines() {
        return lastLogLines == null ? List.of() : lastLogLines;
    }

    /** etcd's exit code when it exited, empty on a timeout. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }
}
