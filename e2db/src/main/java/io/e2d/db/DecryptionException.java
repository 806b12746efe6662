package io.e2d.db;

/**
 * Encrypted data could not be decrypted: the configured key is not the one it was written with, the data was
 * tampered with, or no key is configured. The data is left untouched.
 */
public final class DecryptionException extends E2dbException {
    private static final long serialVersionUID = 1L;

    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }

    public DecryptionException(String message) {
        super(message);
    }
}
