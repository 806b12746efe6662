package io.e2d.discovery.gossip;

/**
 * A member as seen by this node.
 *
 * @param metadata the member's last verified metadata
 * @param reachable false while the member is suspected of having failed
 * @param local true for this node itself
 */
public record GossipMember(NodeMetadata metadata, boolean reachable, boolean local) {
    /** Shortcut for {@code metadata().name()}. */
    public String name() {
        return metadata.name();
    }
}
