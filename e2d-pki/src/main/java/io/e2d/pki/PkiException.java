package io.e2d.pki;

/**
 * Base of every error raised by e2d-pki. Unchecked: callers catch the subclass named after the condition
 * they can act on ({@link InvalidPemException}, {@link KeyMismatchException}, {@link PkiFileException},
 * {@link OverwriteRefusedException}); the message always says what was expected, what was found and how to
 * fix it, so a CLI can print it as one line.
 */
public class PkiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that states expected / found / fix. */
    public PkiException(String message) {
        super(message);
    }

    /** Creates an exception with a message that states expected / found / fix, and its cause. */
    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
