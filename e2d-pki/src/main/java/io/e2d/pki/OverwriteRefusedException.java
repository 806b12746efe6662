package io.e2d.pki;

import java.nio.file.Path;

/**
 * A write would replace an existing file and overwriting was not allowed (for example {@code e2d pki init}
 * without {@code --force}). Nothing was written.
 */
public final class OverwriteRefusedException extends PkiFileException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for the existing {@code file}. */
    public OverwriteRefusedException(Path file, String message) {
        super(file, message);
    }
}
