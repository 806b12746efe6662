package io.e2d.discovery.gossip;

import io.atomix.cluster.BootstrapService;
import io.atomix.cluster.Node;
import io.atomix.cluster.discovery.NodeDiscoveryConfig;
import io.atomix.cluster.discovery.NodeDiscoveryEvent;
import io.atomix.cluster.discovery.NodeDiscoveryEventListener;
import io.atomix.cluster.discovery.NodeDiscoveryProvider;
import io.atomix.utils.event.AbstractListenerManager;
import io.atomix.utils.net.Address;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Seeds that can grow after start ({@link Membership#join}). SWIM probes every node this provider lists that
 * is not yet a member, each probe round; seeds whose address already belongs to a member are left out, so
 * they do not dilute the probes of real members (and slow failure detection).
 */
final class SeedDiscoveryProvider extends AbstractListenerManager<NodeDiscoveryEvent, NodeDiscoveryEventListener>
        implements NodeDiscoveryProvider {
    private final Set<Address> seeds = ConcurrentHashMap.newKeySet();
    private final Address self;
    private volatile Supplier<Set<Address>> memberAddresses = Set::of;

    SeedDiscoveryProvider(Address self) {
        this.self = self;
    }

    void memberAddresses(Supplier<Set<Address>> memberAddresses) {
        this.memberAddresses = memberAddresses;
    }

    void add(Collection<Address> addresses) {
        for (Address a : addresses) {
            if (!a.equals(self) && seeds.add(a)) {
                post(new NodeDiscoveryEvent(NodeDiscoveryEvent.Type.JOIN, node(a)));
            }
        }
    }

    private static Node node(Address a) {
        return Node.builder().withId("seed-" + a).withAddress(a).build();
    }

    @Override
    public Set<Node> getNodes() {
        Set<Address> members = memberAddresses.get();
        return seeds.stream()
                .filter(a -> !members.contains(a))
                .map(SeedDiscoveryProvider::node)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public CompletableFuture<Void> join(BootstrapService bootstrap, Node localNode) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> leave(Node localNode) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Atomix's builder keeps only a provider's config and builds the provider again from the config's type;
     * this config's type hands back this very instance.
     */
    @Override
    public NodeDiscoveryConfig config() {
        return new Config(this);
    }

    private static final class Config extends NodeDiscoveryConfig {
        private final SeedDiscoveryProvider provider;

        Config(SeedDiscoveryProvider provider) {
            this.provider = provider;
        }

        @Override
        public NodeDiscoveryProvider.Type<Config> getType() {
            return new Type(provider);
        }
    }

    private record Type(SeedDiscoveryProvider provider) implements NodeDiscoveryProvider.Type<Config> {
        @Override
        public String name() {
            return "e2d-seeds";
        }

        @Override
        public Config newConfig() {
            return new Config(provider);
        }

        @Override
        public NodeDiscoveryProvider newProvider(Config config) {
            return config.provider;
        }
    }
}
