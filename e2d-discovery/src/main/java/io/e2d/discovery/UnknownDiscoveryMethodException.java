package io.e2d.discovery;

import java.util.List;

/** The method named in a {@code --peer-discovery} spec is not one of the registered providers. */
public final class UnknownDiscoveryMethodException extends DiscoveryException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final List<String> knownMethods;

    public UnknownDiscoveryMethodException(String method, List<String> knownMethods) {
        super("--peer-discovery method must be one of " + knownMethods + ", got '" + method
                + "'; write it as method[:argument], e.g. ec2-tags:role=etcd");
        this.method = method;
        this.knownMethods = List.copyOf(knownMethods);
    }

    /** The method that was asked for. */
    public String method() {
        return method;
    }

    /** The methods that are registered. */
    public List<String> knownMethods() {
        return knownMethods;
    }
}
