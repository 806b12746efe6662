package io.e2d.discovery;

import java.util.List;

/**
 * Finds the gossip addresses of the other nodes of a cluster, once, at startup (later changes travel
 * through gossip). Obtain one with {@link PeerDiscoveries#forSpec(String, DiscoveryOptions)}.
 *
 * <pre>{@code
 * PeerDiscovery discovery = PeerDiscoveries.forSpec("ec2-tags:role=etcd", DiscoveryOptions.defaults());
 * List<PeerAddress> seeds = discovery.discover();
 * }</pre>
 *
 * <p>Implementations are thread-safe and hold no resources between calls.
 */
public interface PeerDiscovery {
    /** The spec this instance was created for, e.g. {@code ec2-tags:role=etcd}. */
    DiscoverySpec spec();

    /**
     * Looks the peers up. Blocks for the network calls, each bounded by {@link DiscoveryOptions#timeout()}.
     * Cloud providers exclude this node and drop addresses that cannot be reached from another host
     * (loopback, wildcard, link-local, multicast).
     *
     * @return distinct addresses, sorted; possibly empty
     * @throws MissingCredentialsException when a needed token or credentials are absent
     * @throws DiscoveryApiException when an API, a metadata service or DNS fails
     */
    List<PeerAddress> discover();
}
