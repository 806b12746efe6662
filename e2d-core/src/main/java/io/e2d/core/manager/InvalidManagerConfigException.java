package io.e2d.core.manager;

/** A {@link ManagerConfig} value is missing or out of range; the message names the flag and the fix. */
public final class InvalidManagerConfigException extends ManagerException {
    private static final long serialVersionUID = 1L;

    public InvalidManagerConfigException(String message) {
        super(message);
    }
}
