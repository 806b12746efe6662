package io.e2d.core;

/**
 * Base of every unchecked exception thrown by e2d-core. Subclasses are named after the condition a
 * caller can act on (for example {@link io.e2d.core.server.EtcdStartException}); catch this type to
 * handle every e2d-core failure at once, as the CLI does to print one line.
 */
public class E2dException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public E2dException(String message) {
        super(message);
    }

    public E2dException(String message, Throwable cause) {
        super(message, cause);
    }
}
