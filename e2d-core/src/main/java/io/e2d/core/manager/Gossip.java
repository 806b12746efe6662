package io.e2d.core.manager;

import java.util.List;

/**
 * The gossip layer as the manager uses it: who is alive, with which URLs and status. {@link
 * #forMembership} adapts the e2d-discovery gossip; tests may run several managers on one in-memory
 * network. Implementations are thread-safe.
 */
public interface Gossip extends AutoCloseable {
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
