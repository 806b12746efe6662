package io.e2d.core.manager;

/** The node could neither join a running cluster nor bootstrap one within the bootstrap timeout. */
public final class BootstrapTimeoutException extends ManagerException {
    private static final long serialVersionUID = 1L;

    public BootstrapTimeoutException(String message) {
        super(message);
    }
}
