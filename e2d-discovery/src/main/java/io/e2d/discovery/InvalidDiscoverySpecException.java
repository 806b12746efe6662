package io.e2d.discovery;

/** A discovery spec or a bootstrap address cannot be parsed; the message says the expected form. */
public final class InvalidDiscoverySpecException extends DiscoveryException {
    private static final long serialVersionUID = 1L;

    public InvalidDiscoverySpecException(String message) {
        super(message);
    }
}
