package io.e2d.cli;

/**
 * An expected failure of an {@code e2d} command: {@link Main} prints its message as one line on stderr
 * and exits with {@link #exitCode()}. Subclasses name the condition.
 */
public class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure with the given exit code (see {@link ExitCodes}). */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A failure with the given exit code and cause. */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code for this failure (see {@link ExitCodes}). */
    public int exitCode() {
        return exitCode;
    }
}
