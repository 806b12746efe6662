package io.e2d.discovery.gossip;

import io.e2d.discovery.DiscoveryException;

/** The gossip layer could not start, bind its address, or was used in the wrong state. */
public final class MembershipException extends DiscoveryException {
    private static final long serialVersionUID = 1L;

    public MembershipException(String message) {
        super(message);
    }

    public MembershipException(String message, Throwable cause) {
        super(message, cause);
    }
}
