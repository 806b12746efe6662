package io.e2d.discovery.gossip;

import io.e2d.discovery.PeerAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link Membership}. Immutable; build with {@link #builder()}. {@link #toString()} never
 * shows the authentication key.
 *
 * <p>Failure detection: every {@link #probeInterval()} a node probes one member (round robin). A member
 * that fails a direct probe and {@link #suspectProbes()} indirect ones is suspect; it is dead after
 * {@link #failureTimeout()} more. The defaults (250 ms, 2, 1.5 s) report a killed node of a 5-node
 * cluster as suspect within about 1 s and gone within about 3 s. A hung node (sockets open, no answers) is
 * caught by heartbeats instead: suspect after {@link #silenceTimeout()} (5 s), gone 1.5 s later.
 */
public final class MembershipConfig {
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_GOSSIP_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_FAILURE_TIMEOUT = Duration.ofMillis(1500);
    public static final int DEFAULT_SUSPECT_PROBES = 2;
    public static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** Shortest accepted authentication key, in bytes. */
    public static final int MIN_KEY_BYTES = 16;

    private final String name;
    private final PeerAddress gossipAddress;
    private final String clientUrl;
    private final String peerUrl;
    private final int requiredClusterSize;
    private final String version;
    private final List<PeerAddress> seeds;
    private final Duration probeInterval;
    private final Duration gossipInterval;
    private final Duration failureTimeout;
    private final int suspectProbes;
    private final Duration silenceTimeout;
    private final Duration startTimeout;
    private final byte @Nullable [] authenticationKey;
    private final @Nullable GossipTls tls;

    private MembershipConfig(Builder b) {
        this.name = Objects.requireNonNull(b.name);
        this.gossipAddress = b.gossipAddress;
        this.clientUrl = b.clientUrl;
        this.peerUrl = b.peerUrl;
        this.requiredClusterSize = b.requiredClusterSize;
        this.version = b.version;
        this.seeds = List.copyOf(b.seeds);
        this.probeInterval = b.probeInterval;
        this.gossipInterval = b.gossipInterval;
        this.failureTimeout = b.failureTimeout;
        this.suspectProbes = b.suspectProbes;
        this.silenceTimeout = b.silenceTimeout;
        this.startTimeout = b.startTimeout;
        this.authenticationKey = b.authenticationKey == null ? null : b.authenticationKey.clone();
        this.tls = b.tls;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.gossipAddress = gossipAddress;
        b.clientUrl = clientUrl;
        b.peerUrl = peerUrl;
        b.requiredClusterSize = requiredClusterSize;
        b.version = version;
        b.seeds = seeds;
        b.probeInterval = probeInterval;
        b.gossipInterval = gossipInterval;
        b.failureTimeout = failureTimeout;
        b.suspectProbes = suspectProbes;
        b.silenceTimeout = silenceTimeout;
        b.startTimeout = startTimeout;
        b.authenticationKey = authenticationKey;
        b.tls = tls;
        return b;
    }

    /** Node name: gossip member id and etcd member name. */
    public String name() {
        return name;
    }

    /** Address to bind; host {@code 0.0.0.0} means "this host's first non-loopback IPv4". */
    public PeerAddress gossipAddress() {
        return gossipAddress;
    }

    public String clientUrl() {
        return clientUrl;
    }

    public String peerUrl() {
        return peerUrl;
    }

    public int requiredClusterSize() {
        return requiredClusterSize;
    }

    /** e2d version published in the metadata. */
    public String version() {
        return version;
    }

    /** Seeds contacted at start; more can be added with {@link Membership#join}. */
    public List<PeerAddress> seeds() {
        return seeds;
    }

    public Duration probeInterval() {
        return probeInterval;
    }

    /** How often pending updates (metadata, suspicions) are gossiped. */
    public Duration gossipInterval() {
        return gossipInterval;
    }

    /** Time from suspicion to removal. */
    public Duration failureTimeout() {
        return failureTimeout;
    }

    /** Number of members asked to probe a member that failed a direct probe. */
    public int suspectProbes() {
        return suspectProbes;
    }

    /**
     * A member from which no heartbeat arrived for this long is suspected even if SWIM still sees it (a hung
     * process keeps its sockets open, which SWIM's probes do not notice for 30 s or more); it is gone after
     * {@link #failureTimeout()} more.
     */
    public Duration silenceTimeout() {
        return silenceTimeout;
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    /** Key authenticating the metadata (a copy), when the cluster has one. */
    public Optional<byte[]> authenticationKey() {
        return Optional.ofNullable(authenticationKey).map(byte[]::clone);
    }

    /** Mutual TLS on the gossip TCP channel, when configured ({@link Builder#tls}). */
    public Optional<GossipTls> tls() {
        return Optional.ofNullable(tls);
    }

    @Override
    public String toString() {
        return "MembershipConfig{name=" + name + ", gossipAddress=" + gossipAddress + ", clientUrl=" + clientUrl
                + ", peerUrl=" + peerUrl + ", requiredClusterSize=" + requiredClusterSize + ", version=" + version
                + ", seeds=" + seeds + ", probeInterval=" + probeInterval + ", gossipInterval=" + gossipInterval
                + ", failureTimeout=" + failureTimeout + ", suspectProbes=" + suspectProbes + ", silenceTimeout="
                + silenceTimeout + ", startTimeout="
                + startTimeout + ", authenticated=" + (authenticationKey != null) + ", tls=" + tls + "}";
    }

    /** Builder of {@link MembershipConfig}; not thread-safe. */
    public static final class Builder {
        private @Nullable String name;
        private PeerAddress gossipAddress = new PeerAddress("0.0.0.0", PeerAddress.DEFAULT_GOSSIP_PORT);
        private String clientUrl = "";
        private String peerUrl = "";
        private int requiredClusterSize = 1;
        private String version = defaultVersion();
        private List<PeerAddress> seeds = List.of();
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Duration gossipInterval = DEFAULT_GOSSIP_INTERVAL;
        private Duration failureTimeout = DEFAULT_FAILURE_TIMEOUT;
        private int suspectProbes = DEFAULT_SUSPECT_PROBES;
        private Duration silenceTimeout = DEFAULT_SILENCE_TIMEOUT;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private byte @Nullable [] authenticationKey;
        private @Nullable GossipTls tls;

        private Builder() {}

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder gossipAddress(PeerAddress gossipAddress) {
            this.gossipAddress = Objects.requireNonNull(gossipAddress, "gossipAddress");
            return this;
        }

        public Builder clientUrl(String clientUrl) {
            this.clientUrl = Objects.requireNonNull(clientUrl, "clientUrl");
            return this;
        }

        public Builder peerUrl(String peerUrl) {
            this.peerUrl = Objects.requireNonNull(peerUrl, "peerUrl");
            return this;
        }

        public Builder requiredClusterSize(int requiredClusterSize) {
            this.requiredClusterSize = requiredClusterSize;
            return this;
        }

        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        public Builder seeds(List<PeerAddress> seeds) {
            this.seeds = List.copyOf(seeds);
            return this;
        }

        public Builder probeInterval(Duration probeInterval) {
            this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
            return this;
        }

        public Builder gossipInterval(Duration gossipInterval) {
            this.gossipInterval = Objects.requireNonNull(gossipInterval, "gossipInterval");
            return this;
        }

        public Builder failureTimeout(Duration failureTimeout) {
            this.failureTimeout = Objects.requireNonNull(failureTimeout, "failureTimeout");
            return this;
        }

        public Builder suspectProbes(int suspectProbes) {
            this.suspectProbes = suspectProbes;
            return this;
        }

        public Builder silenceTimeout(Duration silenceTimeout) {
            this.silenceTimeout = Objects.requireNonNull(silenceTimeout, "silenceTimeout");
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Authenticates every node's metadata with an HMAC keyed from this secret (at least 16 bytes, the same on
         * every node; e2d derives it from the CA key, distinct from the snapshot key). {@code null}: no
         * authentication.
         */
        public Builder authenticationKey(byte @Nullable [] key) {
            this.authenticationKey = key == null ? null : key.clone();
            return this;
        }

        /**
         * Mutual TLS for the gossip TCP channel (SWIM probes and syncs, heartbeats) from the cluster PKI: every
         * node needs a certificate from the same CA, connections without one are refused. {@code null}
         * (default): plain TCP. The files are checked by {@link Membership#create}. Combine with {@link
         * #authenticationKey}: SWIM's UDP gossip is not covered by TLS (module README).
         */
        public Builder tls(@Nullable GossipTls tls) {
            this.tls = tls;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting to change */
        public MembershipConfig build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("membership needs a node name: set name(...) (--name)");
            }
            requirePositive("probeInterval", probeInterval);
            requirePositive("gossipInterval", gossipInterval);
            requirePositive("failureTimeout", failureTimeout);
            requirePositive("startTimeout", startTimeout);
            requirePositive("silenceTimeout", silenceTimeout);
            if (silenceTimeout.compareTo(probeInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("silenceTimeout must be at least twice the probeInterval ("
                        + probeInterval + "), got " + silenceTimeout);
            }
            if (suspectProbes < 1) {
                throw new IllegalArgumentException("suspectProbes must be at least 1, got " + suspectProbes);
            }
            if (requiredClusterSize < 1) {
                throw new IllegalArgumentException(
                        "requiredClusterSize must be at least 1, got " + requiredClusterSize);
            }
            if (authenticationKey != null && authenticationKey.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("the gossip authentication key must have at least " + MIN_KEY_BYTES
                        + " bytes, got " + authenticationKey.length);
            }
            return new MembershipConfig(this);
        }

        private static void requirePositive(String what, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
        }

        private static String defaultVersion() {
            String v = MembershipConfig.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }
    }
}
