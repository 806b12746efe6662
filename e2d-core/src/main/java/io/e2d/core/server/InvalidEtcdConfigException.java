package io.e2d.core.server;

import io.e2d.core.E2dException;

/** An {@link EtcdServerConfig} or a restore request is invalid; the message says what to change. */
public final class InvalidEtcdConfigException extends E2dException {
    private static final long serialVersionUID = 1L;

    public InvalidEtcdConfigException(String message) {
        super(message);
    }
}
