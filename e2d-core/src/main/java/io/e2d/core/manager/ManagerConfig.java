package io.e2d.core.manager;

import io.e2d.core.server.TlsFiles;
import io.e2d.discovery.PeerAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EtcdManager} runs: identity, addresses, cluster size and timings. Immutable; build
 * with {@link #builder()}, copy with {@link #toBuilder()}. {@link Builder#build()} checks every value
 * and says which flag to change.
 *
 * <pre>{@code
 * ManagerConfig config = ManagerConfig.builder()
 *         .dataDir(Path.of("/var/lib/e2d"))
 *         .clientUrl(URI.create("http://10.0.0.5:2379"))
 *         .peerUrl(URI.create("http://10.0.0.5:2380"))
 *         .gossipAddress(new PeerAddress("10.0.0.5", 7980))
 *         .requiredClusterSize(3)
 *         .bootstrapAddresses(List.of(new PeerAddress("10.0.0.6", 7980)))
 *         .build();
 * }</pre>
 */
public final class ManagerConfig {
    /** Go e2d's default: a member gone from gossip this long is removed from etcd. */
    public static final Duration DEFAULT_HEALTH_CHECK_TIMEOUT = Duration.ofMinutes(5);
    /** How long a node tries to join or bootstrap before it gives up (Go e2d: 30 min). */
    public static final Duration DEFAULT_BOOTSTRAP_TIMEOUT = Duration.ofMinutes(30);
    /** How often the leader considers a snapshot. */
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofMinutes(1);
    /** How often the startup decision and member removal are evaluated. */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);
    /** How long etcd may take to become healthy on one attempt. */
    public static final Duration DEFAULT_ETCD_START_TIMEOUT = Duration.ofMinutes(5);
    /** How long a learner may take to be promoted. */
    public static final Duration DEFAULT_PROMOTE_TIMEOUT = Duration.ofMinutes(5);

    private final @Nullable String name;
    private final Path dataDir;
    private final URI clientUrl;
    private final URI peerUrl;
    private final List<URI> listenClientUrls;
    private final List<URI> listenPeerUrls;
    private final PeerAddress gossipAddress;
    private final List<PeerAddress> bootstrapAddresses;
    private final int requiredClusterSize;
    private final Duration healthCheckTimeout;
    private final Duration bootstrapTimeout;
    private final Duration snapshotInterval;
    private final Duration tick;
    private final Duration etcdStartTimeout;
    private final Duration promoteTimeout;
    private final Duration heartbeatInterval;
    private final Duration electionTimeout;
    private final @Nullable TlsFiles clientTls;
    private final @Nullable TlsFiles peerTls;
    private final @Nullable Path etcdBinary;
    private final @Nullable InetSocketAddress httpAddress;

    private ManagerConfig(Builder b) {
        this.name = b.name;
        this.dataDir = Objects.requireNonNull(b.dataDir);
        this.clientUrl = b.clientUrl;
        this.peerUrl = b.peerUrl;
        this.listenClientUrls = List.copyOf(b.listenClientUrls.isEmpty() ? List.of(b.clientUrl) : b.listenClientUrls);
        this.listenPeerUrls = List.copyOf(b.listenPeerUrls.isEmpty() ? List.of(b.peerUrl) : b.listenPeerUrls);
        this.gossipAddress = b.gossipAddress;
        this.bootstrapAddresses = List.copyOf(b.bootstrapAddresses);
        this.requiredClusterSize = b.requiredClusterSize;
        this.healthCheckTimeout = b.healthCheckTimeout;
        this.bootstrapTimeout = b.bootstrapTimeout;
        this.snapshotInterval = b.snapshotInterval;
        this.tick = b.tick;
        this.etcdStartTimeout = b.etcdStartTimeout;
        this.promoteTimeout = b.promoteTimeout;
        this.heartbeatInterval = b.heartbeatInterval;
        this.electionTimeout = b.electionTimeout;
        this.clientTls = b.clientTls;
        this.peerTls = b.peerTls;
        this.etcdBinary = b.etcdBinary;
        this.httpAddress = b.httpAddress;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.dataDir = dataDir;
        b.clientUrl = clientUrl;
        b.peerUrl = peerUrl;
        b.listenClientUrls = new ArrayList<>(listenClientUrls);
        b.listenPeerUrls = new ArrayList<>(listenPeerUrls);
        b.gossipAddress = gossipAddress;
        b.bootstrapAddresses = new ArrayList<>(bootstrapAddresses);
        b.requiredClusterSize = requiredClusterSize;
        b.healthCheckTimeout = healthCheckTimeout;
        b.bootstrapTimeout = bootstrapTimeout;
        b.snapshotInterval = snapshotInterval;
        b.tick = tick;
        b.etcdStartTimeout = etcdStartTimeout;
        b.promoteTimeout = promoteTimeout;
        b.heartbeatInterval = heartbeatInterval;
        b.electionTimeout = electionTimeout;
        b.clientTls = clientTls;
        b.peerTls = peerTls;
        b.etcdBinary = etcdBinary;
        b.httpAddress = httpAddress;
        return b;
    }

    /** The configured node name; empty means "read it back from the data dir, else generate one". */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The etcd data dir (also holds {@code e2d-node.properties}). */
    public Path dataDir() {
        return dataDir;
    }

    /** The advertised etcd client URL. */
    public URI clientUrl() {
        return clientUrl;
    }

    /** The advertised etcd peer URL. */
    public URI peerUrl() {
        return peerUrl;
    }

    /** Where etcd listens for clients (default: the advertised client URL). */
    public List<URI> listenClientUrls() {
        return listenClientUrls;
    }

    /** Where etcd listens for peers (default: the advertised peer URL). */
    public List<URI> listenPeerUrls() {
        return listenPeerUrls;
    }

    /** The gossip bind address. */
    public PeerAddress gossipAddress() {
        return gossipAddress;
    }

    /** Gossip seeds. */
    public List<PeerAddress> bootstrapAddresses() {
        return bootstrapAddresses;
    }

    /** 1, 3 or 5. */
    public int requiredClusterSize() {
        return requiredClusterSize;
    }

    /** How long a member may be missing from gossip before it is removed from etcd. */
    public Duration healthCheckTimeout() {
        return healthCheckTimeout;
    }

    /** How long to try to join or bootstrap. */
    public Duration bootstrapTimeout() {
        return bootstrapTimeout;
    }

    /** How often the leader considers a snapshot. */
    public Duration snapshotInterval() {
        return snapshotInterval;
    }

    /** Period of the decision and removal loop. */
    public Duration tick() {
        return tick;
    }

    /** How long etcd may take to become healthy on one start attempt. */
    public Duration etcdStartTimeout() {
        return etcdStartTimeout;
    }

    /** How long a learner may take to catch up and be promoted. */
    public Duration promoteTimeout() {
        return promoteTimeout;
    }

    /** etcd {@code --heartbeat-interval}. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** etcd {@code --election-timeout}. */
    public Duration electionTimeout() {
        return electionTimeout;
    }

    /** TLS of the client listener. */
    public Optional<TlsFiles> clientTls() {
        return Optional.ofNullable(clientTls);
    }

    /** TLS of the peer listener; the peer certificate is also the client certificate of the manager. */
    public Optional<TlsFiles> peerTls() {
        return Optional.ofNullable(peerTls);
    }

    /** An explicit etcd binary. */
    public Optional<Path> etcdBinary() {
        return Optional.ofNullable(etcdBinary);
    }

    /** Where {@code /healthz} and {@code /metrics} are served; empty = not served. */
    public Optional<InetSocketAddress> httpAddress() {
        return Optional.ofNullable(httpAddress);
    }

    @Override
    public String toString() {
        return "ManagerConfig{name=" + name + ", dataDir=" + dataDir + ", clientUrl=" + clientUrl + ", peerUrl="
                + peerUrl + ", gossip=" + gossipAddress + ", seeds=" + bootstrapAddresses + ", n="
                + requiredClusterSize + ", healthCheckTimeout=" + healthCheckTimeout + "}";
    }

    /** Builds a {@link ManagerConfig}; not thread-safe. */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable Path dataDir = Path.of("data");
        private URI clientUrl = URI.create("http://127.0.0.1:2379");
        private URI peerUrl = URI.create("http://127.0.0.1:2380");
        private List<URI> listenClientUrls = new ArrayList<>();
        private List<URI> listenPeerUrls = new ArrayList<>();
        private PeerAddress gossipAddress = new PeerAddress("127.0.0.1", PeerAddress.DEFAULT_GOSSIP_PORT);
        private List<PeerAddress> bootstrapAddresses = new ArrayList<>();
        private int requiredClusterSize = 1;
        private Duration healthCheckTimeout = DEFAULT_HEALTH_CHECK_TIMEOUT;
        private Duration bootstrapTimeout = DEFAULT_BOOTSTRAP_TIMEOUT;
        private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
        private Duration tick = DEFAULT_TICK;
        private Duration etcdStartTimeout = DEFAULT_ETCD_START_TIMEOUT;
        private Duration promoteTimeout = DEFAULT_PROMOTE_TIMEOUT;
        private Duration heartbeatInterval = Duration.ofMillis(100);
        private Duration electionTimeout = Duration.ofMillis(1000);
        private @Nullable TlsFiles clientTls;
        private @Nullable TlsFiles peerTls;
        private @Nullable Path etcdBinary;
        private @Nullable InetSocketAddress httpAddress;

        private Builder() {}

        public Builder name(@Nullable String name) {
            this.name = name == null || name.isBlank() ? null : name;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder clientUrl(URI clientUrl) {
            this.clientUrl = Objects.requireNonNull(clientUrl, "clientUrl");
            return this;
        }

        public Builder peerUrl(URI peerUrl) {
            this.peerUrl = Objects.requireNonNull(peerUrl, "peerUrl");
            return this;
        }

        /** Listen URLs apart from the advertised one (e.g. {@code http://0.0.0.0:2379}); empty = advertised. */
        public Builder listenClientUrls(List<URI> urls) {
            this.listenClientUrls = new ArrayList<>(urls);
            return this;
        }

        /** Listen URLs apart from the advertised one; empty = advertised. */
        public Builder listenPeerUrls(List<URI> urls) {
            this.listenPeerUrls = new ArrayList<>(urls);
            return this;
        }

        public Builder gossipAddress(PeerAddress gossipAddress) {
            this.gossipAddress = Objects.requireNonNull(gossipAddress, "gossipAddress");
            return this;
        }

        public Builder bootstrapAddresses(List<PeerAddress> seeds) {
            this.bootstrapAddresses = new ArrayList<>(seeds);
            return this;
        }

        /** 1, 3 or 5; 0 means 1 as in Go e2d. */
        public Builder requiredClusterSize(int size) {
            this.requiredClusterSize = size;
            return this;
        }

        public Builder healthCheckTimeout(Duration timeout) {
            this.healthCheckTimeout = Objects.requireNonNull(timeout, "healthCheckTimeout");
            return this;
        }

        public Builder bootstrapTimeout(Duration timeout) {
            this.bootstrapTimeout = Objects.requireNonNull(timeout, "bootstrapTimeout");
            return this;
        }

        public Builder snapshotInterval(Duration interval) {
            this.snapshotInterval = Objects.requireNonNull(interval, "snapshotInterval");
            return this;
        }

        public Builder tick(Duration tick) {
            this.tick = Objects.requireNonNull(tick, "tick");
            return this;
        }

        public Builder etcdStartTimeout(Duration timeout) {
            this.etcdStartTimeout = Objects.requireNonNull(timeout, "etcdStartTimeout");
            return this;
        }

        public Builder promoteTimeout(Duration timeout) {
            this.promoteTimeout = Objects.requireNonNull(timeout, "promoteTimeout");
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = Objects.requireNonNull(interval, "heartbeatInterval");
            return this;
        }

        public Builder electionTimeout(Duration timeout) {
            this.electionTimeout = Objects.requireNonNull(timeout, "electionTimeout");
            return this;
        }

        /** etcd timing for tests on loopback: 10 ms heartbeats, 100 ms elections. */
        public Builder fastElections() {
            return heartbeatInterval(Duration.ofMillis(10)).electionTimeout(Duration.ofMillis(100));
        }

        public Builder clientTls(@Nullable TlsFiles tls) {
            this.clientTls = tls;
            return this;
        }

        public Builder peerTls(@Nullable TlsFiles tls) {
            this.peerTls = tls;
            return this;
        }

        public Builder etcdBinary(@Nullable Path binary) {
            this.etcdBinary = binary;
            return this;
        }

        public Builder httpAddress(@Nullable InetSocketAddress address) {
            this.httpAddress = address;
            return this;
        }

        /**
         * Checks and builds.
         *
         * @throws InvalidManagerConfigException naming the value to change
         */
        public ManagerConfig build() {
            if (requiredClusterSize == 0) {
                requiredClusterSize = 1;
            }
            if (requiredClusterSize != 1 && requiredClusterSize != 3 && requiredClusterSize != 5) {
                throw new InvalidManagerConfigException(
                        "--required-cluster-size must be 1, 3 or 5, got " + requiredClusterSize);
            }
            if (dataDir == null) {
                throw new InvalidManagerConfigException("--data-dir is required");
            }
            if (requiredClusterSize > 1 && bootstrapAddresses.isEmpty()) {
                throw new InvalidManagerConfigException("-n " + requiredClusterSize
                        + " needs gossip seeds: set --bootstrap-addrs host:port,... or --peer-discovery");
            }
            if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                throw new InvalidManagerConfigException("--name must be 1-63 letters, digits, '.', '_' or '-'"
                        + " starting with a letter or digit, got '" + name + "'");
            }
            checkUrl("--client-addr", clientUrl);
            checkUrl("--peer-addr", peerUrl);
            if (clientUrl.equals(peerUrl)) {
                throw new InvalidManagerConfigException(
                        "client and peer URLs must differ, both are " + clientUrl + ": use another port for one");
            }
            positive("--health-check-timeout", healthCheckTimeout);
            positive("bootstrap timeout", bootstrapTimeout);
            positive("--snapshot-interval", snapshotInterval);
            positive("tick", tick);
            positive("etcd start timeout", etcdStartTimeout);
            positive("promote timeout", promoteTimeout);
            positive("heartbeat interval", heartbeatInterval);
            if (electionTimeout.compareTo(heartbeatInterval.multipliedBy(5)) < 0) {
                throw new InvalidManagerConfigException("the election timeout (" + electionTimeout.toMillis()
                        + " ms) must be at least 5 heartbeat intervals (" + heartbeatInterval.toMillis() + " ms)");
            }
            boolean tls = clientTls != null || peerTls != null;
            String scheme = tls ? "https" : "http";
            if (clientTls != null && !"https".equals(clientUrl.getScheme())) {
                throw new InvalidManagerConfigException(
                        "client TLS is configured, so the client URL must be https://, got " + clientUrl);
            }
            if (peerTls != null && !"https".equals(peerUrl.getScheme())) {
                throw new InvalidManagerConfigException(
                        "peer TLS is configured, so the peer URL must be https://, got " + peerUrl);
            }
            if (!tls && !scheme.equals(clientUrl.getScheme())) {
                throw new InvalidManagerConfigException(
                        "no TLS is configured, so the client URL must be http://, got " + clientUrl);
            }
            return new ManagerConfig(this);
        }

        private static void checkUrl(String flag, URI url) {
            if (url.getHost() == null
                    || url.getPort() <= 0
                    || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new InvalidManagerConfigException(
                        flag + " must give a URL like http://10.0.0.5:2379 with host and port, got " + url);
            }
            if ("0.0.0.0".equals(url.getHost())) {
                throw new InvalidManagerConfigException(flag + " is advertised to peers and cannot be 0.0.0.0 (" + url
                        + "): set --host or give the node's address");
            }
        }

        private static void positive(String what, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new InvalidManagerConfigException(what + " must be positive, got " + d);
            }
        }
    }
}
