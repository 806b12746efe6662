package io.e2d.pki;

import java.nio.file.Path;

/**
 * A certificate or key file could not be read or written: missing, unreadable, a directory, or an output
 * directory that cannot be created or written. When writing fails, no partial file is left behind.
 */
public class PkiFileException extends PkiException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** Creates the exception for {@code file}. */
    public PkiFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** Creates the exception for {@code file}. */
    public PkiFileException(Path file, String message) {
        super(message);
        this.file = file;
    }

    /** The file or directory that could not be read or written. */
    public Path file() {
        return file;
    }
}
