package io.e2d.discovery;

import io.e2d.discovery.internal.StaticDiscovery;
import io.e2d.discovery.internal.aws.AutoScalingGroupDiscovery;
import io.e2d.discovery.internal.aws.Ec2TagsDiscovery;
import io.e2d.discovery.internal.digitalocean.DoTagsDiscovery;
import io.e2d.discovery.internal.dns.DnsDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.BiFunction;

/**
 * Entry point of peer discovery: turns a {@code --peer-discovery} spec or a {@code --bootstrap-addrs}
 * list into a {@link PeerDiscovery}.
 *
 * <table>
 *   <caption>Built-in methods</caption>
 *   <tr><td>{@code static:host[:port],...}</td><td>the given addresses (port defaults to 7980)</td></tr>
 *   <tr><td>{@code aws-autoscaling-group}</td><td>the other instances of this instance's Auto Scaling group</td></tr>
 *   <tr><td>{@code ec2-tags:k=v[,k=v]}</td><td>instances carrying every tag</td></tr>
 *   <tr><td>{@code do-tags:tag[,tag]}</td><td>droplets carrying every tag</td></tr>
 *   <tr><td>{@code dns:name[:port]}</td><td>A/AAAA records, or SRV records when the name starts with {@code _}</td></tr>
 * </table>
 *
 * <pre>{@code
 * List<PeerAddress> seeds = PeerDiscoveries.forSpec("ec2-tags:role=etcd").discover();
 * }</pre>
 *
 * <p>Stateless and thread-safe. A new method is one {@link PeerDiscoveryProvider} class plus one line in
 * the built-in list, or a {@link ServiceLoader} registration.
 */
public final class PeerDiscoveries {
    private static final List<PeerDiscoveryProvider> BUILT_IN = List.of(
            new BuiltIn(StaticDiscovery.METHOD, StaticDiscovery::new),
            new BuiltIn(AutoScalingGroupDiscovery.METHOD, AutoScalingGroupDiscovery::new),
            new BuiltIn(Ec2TagsDiscovery.METHOD, Ec2TagsDiscovery::new),
            new BuiltIn(DoTagsDiscovery.METHOD, DoTagsDiscovery::new),
            new BuiltIn(DnsDiscovery.METHOD, DnsDiscovery::new));

    private record BuiltIn(String method, BiFunction<DiscoverySpec, DiscoveryOptions, PeerDiscovery> factory)
            implements PeerDiscoveryProvider {
        @Override
        public PeerDiscovery create(DiscoverySpec spec, DiscoveryOptions options) {
            return factory.apply(spec, options);
        }
    }

    private PeerDiscoveries() {}

    /** {@link #forSpec(String, DiscoveryOptions)} with {@link DiscoveryOptions#defaults()}. */
    public static PeerDiscovery forSpec(String spec) {
        return forSpec(spec, DiscoveryOptions.defaults());
    }

    /**
     * Creates the discovery for {@code method[:argument]}. No network call is made here.
     *
     * @throws UnknownDiscoveryMethodException when no provider has that method
     * @throws InvalidDiscoverySpecException when the argument does not fit the method
     */
    public static PeerDiscovery forSpec(String spec, DiscoveryOptions options) {
        Objects.requireNonNull(options, "options");
        DiscoverySpec parsed = DiscoverySpec.parse(spec);
        Map<String, PeerDiscoveryProvider> providers = providers();
        PeerDiscoveryProvider provider = providers.get(parsed.method());
        if (provider == null) {
            throw new UnknownDiscoveryMethodException(parsed.method(), new ArrayList<>(providers.keySet()));
        }
        return provider.create(parsed, options);
    }

    /** The {@code static} discovery of a {@code --bootstrap-addrs} value ({@code host[:port],...}). */
    public static PeerDiscovery forBootstrapAddrs(String bootstrapAddrs, DiscoveryOptions options) {
        return forSpec(
                StaticDiscovery.METHOD + ":" + Objects.requireNonNull(bootstrapAddrs, "bootstrapAddrs"), options);
    }

    /** The registered method names, built-in ones first. */
    public static List<String> methods() {
        return List.copyOf(providers().keySet());
    }

    private static Map<String, PeerDiscoveryProvider> providers() {
        Map<String, PeerDiscoveryProvider> out = new LinkedHashMap<>();
        for (PeerDiscoveryProvider p : BUILT_IN) {
            out.put(p.method(), p);
        }
        for (PeerDiscoveryProvider p : ServiceLoader.load(PeerDiscoveryProvider.class)) {
            out.putIfAbsent(p.method(), p);
        }
        return out;
    }
}
