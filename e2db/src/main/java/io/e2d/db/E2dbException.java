package io.e2d.db;

import org.jspecify.annotations.Nullable;

/**
 * Base of every error e2db throws (unchecked). Subclasses name the condition a caller can act on; this class
 * itself is thrown for failures of etcd or of the connection.
 */
public class E2dbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public E2dbException(String message) {
        super(message);
    }

    public E2dbException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
