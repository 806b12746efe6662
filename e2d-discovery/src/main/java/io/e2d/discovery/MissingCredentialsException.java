package io.e2d.discovery;

/**
 * A provider needs credentials that were not given and could not be found (a DigitalOcean token, AWS
 * credentials from the default chain).
 */
public final class MissingCredentialsException extends DiscoveryException {
    private static final long serialVersionUID = 1L;

    public MissingCredentialsException(String message) {
        super(message);
    }

    public MissingCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
