package io.e2d.pki;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A file or string is not the PEM object it should be: corrupt base64, truncated, missing, of another type
 * (a certificate where a key was expected), encrypted, or holding a key of an unsupported algorithm.
 */
public final class InvalidPemException extends PkiException {
    private static final long serialVersionUID = 1L;

    private final transient @Nullable Path file;

    /** Creates the exception for {@code file} (null when the PEM did not come from a file). */
    public InvalidPemException(@Nullable Path file, String message) {
        super(message);
        this.file = file;
    }

    /** Creates the exception for {@code file} (null when the PEM did not come from a file), with its cause. */
    public InvalidPemException(@Nullable Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file that held the bad PEM, when it came from a file. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
