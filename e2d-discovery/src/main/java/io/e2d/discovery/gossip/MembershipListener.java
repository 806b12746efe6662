package io.e2d.discovery.gossip;

/**
 * Receives membership changes of other nodes. Methods are called one at a time, in order, on the
 * membership's event thread: return quickly and do not block. A throwing listener is logged and skipped.
 * Members whose metadata does not verify never reach a listener.
 */
public interface MembershipListener {
    /** A node appeared (also after a restart that followed its removal). */
    default void onJoin(GossipMember member) {}

    /** A node's metadata changed, or it became reachable again after a suspicion. */
    default void onUpdate(GossipMember member) {}

    /** A node stopped answering probes; it is removed after the failure timeout unless it recovers. */
    default void onSuspect(GossipMember member) {}

    /** A node was declared dead or left. */
    default void onLeave(GossipMember member) {}
}
