package io.e2d.discovery.gossip;

import io.e2d.discovery.PeerAddress;
import java.util.Collection;
import java.util.List;

/**
 * Gossip membership of the e2d nodes of one cluster (SWIM failure detection plus metadata dissemination).
 *
 * <pre>{@code
 * try (Membership gossip = Membership.create(MembershipConfig.builder()
 *         .name("node-1")
 *         .gossipAddress(PeerAddress.parse("10.0.0.5:7980", 7980))
 *         .clientUrl("https://10.0.0.5:2379")
 *         .peerUrl("https://10.0.0.5:2380")
 *         .requiredClusterSize(3)
 *         .authenticationKey(gossipKey)
 *         .build())) {
 *     gossip.addListener(new MembershipListener() {
 *         public void onLeave(GossipMember m) { ... }
 *     });
 *     gossip.start();
 *     gossip.join(seeds);
 *     gossip.updateStatus(NodeStatus.PENDING);
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} once; {@link #close()} is idempotent and leaves the cluster. The JVM needs
 * {@code --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED}
 * (see the module README).
 */
public interface Membership extends AutoCloseable {
    /** Creates an unstarted membership (atomix-cluster SWIM underneath). */
    static Membership create(MembershipConfig config) {
        return new AtomixMembership(config);
    }

    /**
     * Binds the gossip address and starts probing and gossiping with the configured seeds. Blocks up to
     * {@link MembershipConfig#startTimeout()}.
     *
     * @throws MembershipException when the address cannot be bound or start was already called
     */
    void start();

    /**
     * Adds seeds to contact (e.g. the result of a {@link io.e2d.discovery.PeerDiscovery}). Returns at once;
     * seeds are probed every probe interval until they answer. This node's own address is ignored.
     */
    void join(Collection<PeerAddress> seeds);

    /** This node's current metadata (with the resolved gossip address). */
    NodeMetadata local();

    /**
     * Publishes new local metadata; peers see it within a few gossip intervals.
     *
     * @throws IllegalArgumentException when the name or gossip address differ from {@link #local()}
     */
    void update(NodeMetadata metadata);

    /** Publishes a new status; shortcut for {@code update(local().withStatus(status))}. */
    void updateStatus(NodeStatus status);

    /** This node and every other live member whose metadata verified, sorted by name. Does not block. */
    List<GossipMember> members();

    /** Registers a listener; closing the returned handle unregisters it. */
    Registration addListener(MembershipListener listener);

    /** Leaves the cluster and releases the sockets and threads. Idempotent. */
    @Override
    void close();

    /** Handle of a listener registration; {@link #close()} is idempotent and throws nothing. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
