package io.e2d.cli;

/** A flag, an {@code E2D_*} variable or a file named by them is not usable; exit code 2. */
public final class InvalidConfigurationException extends CliException {

    private static final long serialVersionUID = 1L;

    /** The message states what was expected, what was found and the fix. */
    public InvalidConfigurationException(String message) {
        super(ExitCodes.USAGE, message);
    }
}
