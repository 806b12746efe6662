package io.e2d.core.server;

import io.e2d.core.E2dException;

/**
 * No usable etcd binary (or etcdctl/etcdutl) was found, or its version is not supported. The message
 * lists where e2d looked and how to install one.
 */
public final class EtcdBinaryNotFoundException extends E2dException {
    private static final long serialVersionUID = 1L;

    /** How to get etcd, appended to every "not found" message. */
    public static final String INSTALL_HINT = "install etcd (Debian/Ubuntu: sudo apt-get install -y etcd-server"
            + " etcd-client) or point e2d to it with E2D_ETCD_BINARY=/path/to/etcd or --etcd-binary"
            + " /path/to/etcd";

    public EtcdBinaryNotFoundException(String message) {
        super(message);
    }

    public EtcdBinaryNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
