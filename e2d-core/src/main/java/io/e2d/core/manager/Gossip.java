package io.e2d.core.manager;

import io.e2d.discovery.gossip.Membership;
import io.e2d.discovery.gossip.MembershipConfig;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The gossip layer as the manager uses it: who is alive, with which URLs and status. {@link
 * #membership} adapts the e2d-discovery gossip; tests may run several managers on one in-memory
 * network. Implementations are thread-safe.
 */
public interface Gossip extends AutoCloseable {
    /**
     * SWIM gossip (e2d-discovery's {@link Membership}) for a manager of {@code config} named {@code
     * name}: binds {@link ManagerConfig#gossipAddress()}, contacts {@link
     * ManagerConfig#bootstrapAddresses()}, publishes the node's URLs and cluster size. With a key
     * (e.g. {@code SecretKeys.gossipKey(...)} from the CA key) every message is authenticated; all
     * nodes need the same key.
     */
    static Gossip membership(ManagerConfig config, String name, byte @Nullable [] key) {
        return new MembershipGossip(Membership.create(MembershipConfig.builder()
                .name(name)
                .gossipAddress(config.gossipAddress())
                .clientUrl(config.clientUrl().toString())
                .peerUrl(config.peerUrl().toString())
                .requiredClusterSize(config.requiredClusterSize())
                .seeds(config.bootstrapAddresses())
                .authenticationKey(key)
                .build()));
    }

    /** Adapts an existing {@link Membership} (not yet started; the manager starts and closes it). */
    static Gossip of(Membership membership) {
        return new MembershipGossip(membership);
    }

    /** Starts gossiping and contacts the seeds; returns without waiting for peers. */
    void start();

    /** Publishes this node's status; peers see it within a few gossip rounds. */
    void publish(PeerStatus status);

    /** This node and every live member, including suspected ones ({@link GossipPeer#reachable()}). */
    List<GossipPeer> members();

    /** Leaves the gossip cluster. Idempotent. */
    @Override
    void close();
}
