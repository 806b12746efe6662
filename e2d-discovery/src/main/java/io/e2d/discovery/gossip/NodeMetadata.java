package io.e2d.discovery.gossip;

import java.util.Objects;

/**
 * What a node publishes over gossip.
 *
 * @param name node name, also the etcd member name and the gossip member id
 * @param clientUrl etcd client URL, e.g. {@code https://10.0.0.5:2379}
 * @param peerUrl etcd peer URL, e.g. {@code https://10.0.0.5:2380}
 * @param gossipAddress the node's gossip {@code host:port}
 * @param status bootstrap status
 * @param requiredClusterSize the {@code --required-cluster-size} the node runs with
 * @param version the e2d version of the node
 */
public record NodeMetadata(
        String name,
        String clientUrl,
        String peerUrl,
        String gossipAddress,
        NodeStatus status,
        int requiredClusterSize,
        String version) {
    public NodeMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clientUrl, "clientUrl");
        Objects.requireNonNull(peerUrl, "peerUrl");
        Objects.requireNonNull(gossipAddress, "gossipAddress");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(version, "version");
        if (name.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank");
        }
        if (requiredClusterSize < 1) {
            throw new IllegalArgumentException("required cluster size must be at least 1, got " + requiredClusterSize);
        }
    }

    /** A copy with another status. */
    public NodeMetadata withStatus(NodeStatus newStatus) {
        return new NodeMetadata(name, clientUrl, peerUrl, gossipAddress, newStatus, requiredClusterSize, version);
    }
}
