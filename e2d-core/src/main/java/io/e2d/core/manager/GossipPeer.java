package io.e2d.core.manager;

import java.net.URI;
import java.util.Objects;

/**
 * A node as the gossip layer shows it.
 *
 * @param name node name, also its etcd member name
 * @param clientUrl the node's etcd client URL
 * @param peerUrl the node's etcd peer URL
 * @param status what the node last published
 * @param reachable false while gossip suspects the node of having failed
 * @param local true for this node itself
 */
public record GossipPeer(String name, URI clientUrl, URI peerUrl, PeerStatus status, boolean reachable, boolean local) {
    public GossipPeer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clientUrl, "clientUrl");
        Objects.requireNonNull(peerUrl, "peerUrl");
        Objects.requireNonNull(status, "status");
    }
}
