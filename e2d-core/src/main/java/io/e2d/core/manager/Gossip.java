package io.e2d.core.manager;

import io.e2d.discovery.gossip.GossipTls;
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
     * nodes need the same key. With {@link ManagerConfig#peerTls()} and its CA ({@code --peer-cert},
     * {@code --peer-key}, {@code --ca-cert}), gossip's TCP channel is mutual TLS with the same files: only
     * nodes with a certificate from that CA can take part.
     *
     * @throws io.e2d.discovery.gossip.MembershipException if the TLS files are unusable (names the file)
     */
    static Gossip membership(ManagerConfig config, String name, byte @Nullable [] key) {
        return of(Membership.create(membershipConfig(config, name, key).build()));
    }

    /**
     * The settings {@link #membership} uses, to adjust before {@code Gossip.of(Membership.create(b.build()))},
     * e.g. a probe interval of about 1 s for TLS clusters on small, busy machines (e2d-discovery README).
     */
    static MembershipConfig.Builder membershipConfig(ManagerConfig config, String name, byte @Nullable [] key) {
        return MembershipConfig.builder()
                .name(name)
                .gossipAddress(config.gossipAddress())
                .clientUrl(config.clientUrl().toString())
                .peerUrl(config.peerUrl().toString())
                .requiredClusterSize(config.requiredClusterSize())
                .seeds(config.bootstrapAddresses())
                .authenticationKey(key)
                .tls(config.peerTls()
                        .flatMap(t -> t.ca().map(ca -> new GossipTls(t.cert(), t.key(), ca)))
                        .orElse(null));
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
