package io.e2d.pki.internal;

/**
 * Malformed PEM text or DER bytes, found by {@link PemCodec} or {@link Der}. The message says what is wrong
 * and where (an offset or a block type), never the content; {@code io.e2d.pki.Pem} wraps it into an {@code
 * InvalidPemException} that names the file and the fix.
 */
public final class EncodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code message} says what was expected and what was found. */
    public EncodingException(String message) {
        super(message);
    }
}
