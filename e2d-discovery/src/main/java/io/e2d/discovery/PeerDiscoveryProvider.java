package io.e2d.discovery;

/**
 * Plug-in point for a discovery method. Built-in providers are registered by {@link PeerDiscoveries};
 * others are found with {@link java.util.ServiceLoader} under this interface's name.
 */
public interface PeerDiscoveryProvider {
    /** The method name, lower case, e.g. {@code ec2-tags}. */
    String method();

    /**
     * Creates a discovery for a spec whose method is {@link #method()}. Validates the argument but makes
     * no network call.
     *
     * @throws InvalidDiscoverySpecException when the argument does not fit the method
     */
    PeerDiscovery create(DiscoverySpec spec, DiscoveryOptions options);
}
