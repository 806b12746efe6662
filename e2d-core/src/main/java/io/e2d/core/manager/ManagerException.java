package io.e2d.core.manager;

import io.e2d.core.E2dException;

/** Base of the manager's exceptions; a subclass names the condition, the message says the fix. */
public class ManagerException extends E2dException {
    private static final long serialVersionUID = 1L;

    public ManagerException(String message) {
        super(message);
    }

    public ManagerException(String message, Throwable cause) {
        super(message, cause);
    }
}
