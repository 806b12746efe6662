package io.e2d.core.manager;

import io.e2d.discovery.gossip.GossipMember;
import io.e2d.discovery.gossip.Membership;
import io.e2d.discovery.gossip.NodeMetadata;
import io.e2d.discovery.gossip.NodeStatus;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/** {@link Gossip} over e2d-discovery's SWIM {@link Membership}. */
final class MembershipGossip implements Gossip {
    private final Membership membership;

    MembershipGossip(Membership membership) {
        this.membership = Objects.requireNonNull(membership, "membership");
    }

    @Override
    public void start() {
        membership.start();
    }

    @Override
    public void publish(PeerStatus status) {
        membership.updateStatus(
                switch (status) {
                    case UNKNOWN -> NodeStatus.UNKNOWN;
                    case PENDING -> NodeStatus.PENDING;
                    case RUNNING -> NodeStatus.RUNNING;
                });
    }

    @Override
    public List<GossipPeer> members() {
        return membership.members().stream().map(MembershipGossip::peer).toList();
    }

    private static GossipPeer peer(GossipMember m) {
        NodeMetadata md = m.metadata();
        PeerStatus status =
                switch (md.status()) {
                    case UNKNOWN -> PeerStatus.UNKNOWN;
                    case PENDING -> PeerStatus.PENDING;
                    case RUNNING -> PeerStatus.RUNNING;
                };
        return new GossipPeer(
                md.name(), URI.create(md.clientUrl()), URI.create(md.peerUrl()), status, m.reachable(), m.local());
    }

    @Override
    public void close() {
        membership.close();
    }
}
