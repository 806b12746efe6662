package io.e2d.core.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gossip network inside one JVM, for tests, benchmarks and demos that run several managers in one
 * process: every node sees every other node that has started and not left; a closed node disappears at
 * once (like a SWIM failure after its timeout, without the detection delay). Thread-safe.
 *
 * <pre>{@code
 * InMemoryGossipNetwork network = new InMemoryGossipNetwork();
 * EtcdManager m = EtcdManager.builder(config).gossip(network.join(name, clientUrl, peerUrl)).build();
 * }</pre>
 */
public final class InMemoryGossipNetwork {
    private final Map<String, GossipPeer> nodes = new ConcurrentHashMap<>();

    /** A new, unstarted member of this network. */
    public Gossip join(String name, java.net.URI clientUrl, java.net.URI peerUrl) {
        return new Handle(new GossipPeer(name, clientUrl, peerUrl, PeerStatus.UNKNOWN, true, false));
    }

    private final class Handle implements Gossip {
        private volatile GossipPeer self;
        private volatile boolean started;

        Handle(GossipPeer self) {
            this.self = self;
        }

        @Override
        public void start() {
            started = true;
            nodes.put(self.name(), self);
        }

        @Override
        public void publish(PeerStatus status) {
            self = new GossipPeer(self.name(), self.clientUrl(), self.peerUrl(), status, true, false);
            if (started) {
                nodes.put(self.name(), self);
            }
        }

        @Override
        public List<GossipPeer> members() {
            List<GossipPeer> out = new ArrayList<>();
            for (GossipPeer p : nodes.values()) {
                boolean local = p.name().equals(self.name());
                out.add(new GossipPeer(p.name(), p.clientUrl(), p.peerUrl(), p.status(), true, local));
            }
            if (started && out.stream().noneMatch(GossipPeer::local)) {
                out.add(new GossipPeer(self.name(), self.clientUrl(), self.peerUrl(), self.status(), true, true));
            }
            return out;
        }

        @Override
        public void close() {
            if (started) {
                nodes.remove(self.name(), nodes.get(self.name()));
                started = false;
            }
        }
    }
}
