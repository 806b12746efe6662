package io.e2d.discovery.internal;

import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.DiscoverySpec;
import io.e2d.discovery.InvalidDiscoverySpecException;
import io.e2d.discovery.PeerAddress;
import java.util.List;
import java.util.TreeSet;

/** {@code static:host[:port],...}: the addresses of {@code --bootstrap-addrs}, kept as written (no filtering). */
public final class StaticDiscovery extends BaseDiscovery {
    public static final String METHOD = "static";

    private final List<PeerAddress> addresses;

    public StaticDiscovery(DiscoverySpec spec, DiscoveryOptions options) {
        super(spec, options);
        TreeSet<PeerAddress> set = new TreeSet<>();
        for (String item : spec.items()) {
            set.add(PeerAddress.parse(item, options.defaultPort()));
        }
        if (set.isEmpty()) {
            throw new InvalidDiscoverySpecException(
                    "--bootstrap-addrs must list host[:port] entries separated by commas, got '" + spec.argument()
                            + "'");
        }
        this.addresses = List.copyOf(set);
    }

    @Override
    public List<PeerAddress> discover() {
        return addresses;
    }
}
