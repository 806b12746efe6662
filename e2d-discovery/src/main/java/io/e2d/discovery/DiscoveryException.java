package io.e2d.discovery;

/**
 * Base of every error raised by e2d-discovery. Callers that need to act on a specific condition catch
 * one of the subclasses ({@link UnknownDiscoveryMethodException}, {@link InvalidDiscoverySpecException},
 * {@link MissingCredentialsException}, {@link DiscoveryApiException}).
 */
public class DiscoveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DiscoveryException(String message) {
        super(message);
    }

    public DiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
