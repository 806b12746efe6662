package io.e2d.db;

import java.time.Duration;

/** An etcd request did not complete within {@code E2dbConfig.requestTimeout}; it may or may not have applied. */
public final class E2dbTimeoutException extends E2dbException {
    private static final long serialVersionUID = 1L;

    public E2dbTimeoutException(String operation, Duration timeout) {
        super(operation + " did not complete within " + timeout
                + "; check that etcd is reachable or raise E2dbConfig.requestTimeout");
    }
}
