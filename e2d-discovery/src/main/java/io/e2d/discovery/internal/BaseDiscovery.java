package io.e2d.discovery.internal;

import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.DiscoverySpec;
import io.e2d.discovery.PeerDiscovery;

/** Holds the spec and options every provider keeps. */
public abstract class BaseDiscovery implements PeerDiscovery {
    protected final DiscoverySpec spec;
    protected final DiscoveryOptions options;

    protected BaseDiscovery(DiscoverySpec spec, DiscoveryOptions options) {
        this.spec = spec;
        this.options = options;
    }

    @Override
    public final DiscoverySpec spec() {
        return spec;
    }
}
