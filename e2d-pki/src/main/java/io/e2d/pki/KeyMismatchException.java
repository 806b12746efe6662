package io.e2d.pki;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A private key does not belong to the certificate it was paired with (the public keys differ). */
public final class KeyMismatchException extends PkiException {
    private static final long serialVersionUID = 1L;

    private final transient @Nullable Path certificateFile;
    private final transient @Nullable Path keyFile;

    /** Creates the exception; the paths are null when the objects did not come from files. */
    public KeyMismatchException(@Nullable Path certificateFile, @Nullable Path keyFile, String message) {
        super(message);
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
    }

    /** The certificate file, when the certificate came from a file. */
    public Optional<Path> certificateFile() {
        return Optional.ofNullable(certificateFile);
    }

    /** The key file, when the key came from a file. */
    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }
}
