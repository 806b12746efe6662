package io.e2d.db;

import java.time.Duration;

/** {@code withLock} could not acquire the named lock within its wait timeout; the action did not run. */
public final class LockTimeoutException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final String lockName;

    public LockTimeoutException(String lockName, Duration waited) {
        super("lock '" + lockName + "' is held by another client and was not acquired within " + waited
                + "; retry later or pass a longer wait timeout");
        this.lockName = lockName;
    }

    public String lockName() {
        return lockName;
    }
}
