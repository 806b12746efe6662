package io.e2d.core.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to run one etcd member. Immutable and thread-safe; build it with {@link
 * #builder()} and derive variants with {@link #toBuilder()}. {@link Builder#build()} validates the
 * whole configuration and throws {@link InvalidEtcdConfigException} with a message that says what to
 * change.
 *
 * <pre>{@code
 * EtcdServerConfig config = EtcdServerConfig.builder()
 *         .name("node1")
 *         .dataDir(Path.of("/var/lib/e2d"))
 *         .clientUrl(URI.create("http://127.0.0.1:2379"))
 *         .peerUrl(URI.create("http://127.0.0.1:2380"))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: advertised URLs equal the listen URLs; the initial cluster is this member alone; state
 * {@code new}; token {@value #DEFAULT_INITIAL_CLUSTER_TOKEN}; heartbeat 100 ms and election timeout 1
 * s (etcd's defaults); no backend quota (etcd's 2 GB); periodic auto-compaction with retention {@code
 * 0} (off); start timeout 60 s; stop timeout 10 s.
 */
public final class EtcdServerConfig {
    /** Client URL used when none is set. */
    public static final URI DEFAULT_CLIENT_URL = URI.create("http://127.0.0.1:2379");
    /** Peer URL used when none is set. */
    public static final URI DEFAULT_PEER_URL = URI.create("http://127.0.0.1:2380");
    /** etcd's default initial cluster token (also what Go e2d's restore used). */
    public static final String DEFAULT_INITIAL_CLUSTER_TOKEN = "etcd-cluster";
    /** etcd's default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(100);
    /** etcd's default election timeout. */
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofMillis(1000);
    /** How long {@link EtcdServer#start()} waits for {@code /health} by default. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link EtcdServer#stop()} waits after SIGTERM before SIGKILL, by default. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final String name;
    private final Path dataDir;
    private final List<URI> listenClientUrls;
    private final List<URI> advertiseClientUrls;
    private final List<URI> listenPeerUrls;
    private final List<URI> advertisePeerUrls;
    private final Map<String, URI> initialCluster;
    private final InitialClusterState initialClusterState;
    private final String initialClusterToken;
    private final @Nullable TlsFiles clientTls;
    private final @Nullable TlsFiles peerTls;
    private final @Nullable TlsFiles healthCheckClientTls;
    private final Duration heartbeatInterval;
    private final Duration electionTimeout;
    private final long quotaBackendBytes;
    private final AutoCompactionMode autoCompactionMode;
    private final String autoCompactionRetention;
    private final boolean initialCorruptCheck;
    private final @Nullable Integer maxLearners;
    private final List<String> extraArgs;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final @Nullable Path binary;

    private EtcdServerConfig(Builder b, List<URI> advertiseClient, List<URI> advertisePeer, Map<String, URI> cluster) {
        this.name = Objects.requireNonNull(b.name);
        this.dataDir = Objects.requireNonNull(b.dataDir);
        this.listenClientUrls = List.copyOf(b.listenClientUrls);
        this.advertiseClientUrls = List.copyOf(advertiseClient);
        this.listenPeerUrls = List.copyOf(b.listenPeerUrls);
        this.advertisePeerUrls = List.copyOf(advertisePeer);
        this.initialCluster = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cluster));
        this.initialClusterState = b.initialClusterState;
        this.initialClusterToken = b.initialClusterToken;
        this.clientTls = b.clientTls;
        this.peerTls = b.peerTls;
        this.healthCheckClientTls = b.healthCheckClientTls;
        this.heartbeatInterval = b.heartbeatInterval;
        this.electionTimeout = b.electionTimeout;
        this.quotaBackendBytes = b.quotaBackendBytes;
        this.autoCompactionMode = b.autoCompactionMode;
        this.autoCompactionRetention = b.autoCompactionRetention;
        this.initialCorruptCheck = b.initialCorruptCheck;
        this.maxLearners = b.maxLearners;
        this.extraArgs = List.copyOf(b.extraArgs);
        this.startTimeout = b.startTimeout;
        this.stopTimeout = b.stopTimeout;
        this.binary = b.binary;
    }

    /** A builder with every default set; {@link Builder#name} and {@link Builder#dataDir} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.dataDir = dataDir;
        b.listenClientUrls = new ArrayList<>(listenClientUrls);
        b.advertiseClientUrls = new ArrayList<>(advertiseClientUrls);
        b.listenPeerUrls = new ArrayList<>(listenPeerUrls);
        b.advertisePeerUrls = new ArrayList<>(advertisePeerUrls);
        b.initialCluster = new LinkedHashMap<>(initialCluster);
        b.initialClusterState = initialClusterState;
        b.initialClusterToken = initialClusterToken;
        b.clientTls = clientTls;
        b.peerTls = peerTls;
        b.healthCheckClientTls = healthCheckClientTls;
        b.heartbeatInterval = heartbeatInterval;
        b.electionTimeout = electionTimeout;
        b.quotaBackendBytes = quotaBackendBytes;
        b.autoCompactionMode = autoCompactionMode;
        b.autoCompactionRetention = autoCompactionRetention;
        b.initialCorruptCheck = initialCorruptCheck;
        b.maxLearners = maxLearners;
        b.extraArgs = new ArrayList<>(extraArgs);
        b.startTimeout = startTimeout;
        b.stopTimeout = stopTimeout;
        b.binary = binary;
        return b;
    }

    /** The member name ({@code --name}). */
    public String name() {
        return name;
    }

    /** The data dir ({@code --data-dir}); created with mode 0700 and re-chmodded at every start. */
    public Path dataDir() {
        return dataDir;
    }

    /** URLs etcd listens on for clients ({@code --listen-client-urls}). */
    public List<URI> listenClientUrls() {
        return listenClientUrls;
    }

    /** URLs announced to clients ({@code --advertise-client-urls}); defaults to the listen URLs. */
    public List<URI> advertiseClientUrls() {
        return advertiseClientUrls;
    }

    /** URLs etcd listens on for peers ({@code --listen-peer-urls}). */
    public List<URI> listenPeerUrls() {
        return listenPeerUrls;
    }

    /** URLs announced to peers ({@code --initial-advertise-peer-urls}); defaults to the listen URLs. */
    public List<URI> advertisePeerUrls() {
        return advertisePeerUrls;
    }

    /** Member name to peer URL, in insertion order; {@link #initialClusterFlag()} renders it sorted. */
    public Map<String, URI> initialCluster() {
        return initialCluster;
    }

    /** {@code --initial-cluster} as etcd expects it: {@code name=url} pairs sorted by name, comma-joined. */
    public String initialClusterFlag() {
        return new TreeMap<>(initialCluster)
                .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** {@code --initial-cluster-state}. */
    public InitialClusterState initialClusterState() {
        return initialClusterState;
    }

    /** {@code --initial-cluster-token}. */
    public String initialClusterToken() {
        return initialClusterToken;
    }

    /** TLS of the client listener; client-cert-auth is on when it has a CA. */
    public Optional<TlsFiles> clientTls() {
        return Optional.ofNullable(clientTls);
    }

    /** TLS of the peer listener; peer-client-cert-auth is on when it has a CA. */
    public Optional<TlsFiles> peerTls() {
        return Optional.ofNullable(peerTls);
    }

    /**
     * The certificate e2d presents when it polls {@code /health} over https. Defaults to {@link
     * #clientTls()}; set it when client-cert-auth is on and the server certificate lacks the {@code
     * clientAuth} extended key usage (a peer or client certificate works).
     */
    public Optional<TlsFiles> healthCheckClientTls() {
        return Optional.ofNullable(healthCheckClientTls != null ? healthCheckClientTls : clientTls);
    }

    /** {@code --heartbeat-interval}. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** {@code --election-timeout}. */
    public Duration electionTimeout() {
        return electionTimeout;
    }

    /** {@code --quota-backend-bytes}; 0 keeps etcd's default. */
    public long quotaBackendBytes() {
        return quotaBackendBytes;
    }

    /** {@code --auto-compaction-mode}. */
    public AutoCompactionMode autoCompactionMode() {
        return autoCompactionMode;
    }

    /** {@code --auto-compaction-retention}; {@code 0} disables auto-compaction. */
    public String autoCompactionRetention() {
        return autoCompactionRetention;
    }

    /** Whether etcd checks its data against its peers before serving (3.4/3.5 experimental, 3.6 gate). */
    public boolean isInitialCorruptCheck() {
        return initialCorruptCheck;
    }

    /** The maximum number of learners (3.5+ only; 3.4 always allows one). */
    public OptionalInt maxLearners() {
        return maxLearners == null ? OptionalInt.empty() : OptionalInt.of(maxLearners);
    }

    /** Extra etcd flags appended verbatim after the computed ones. */
    public List<String> extraArgs() {
        return extraArgs;
    }

    /** How long {@link EtcdServer#start()} waits for etcd to report healthy. */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** How long {@link EtcdServer#stop()} waits after SIGTERM before SIGKILL. */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** The etcd binary to run; when absent, {@link EtcdBinary#resolve} searches. */
    public Optional<Path> binary() {
        return Optional.ofNullable(binary);
    }

    @Override
    public String toString() {
        return "EtcdServerConfig{name=" + name + ", dataDir=" + dataDir + ", clientUrls=" + advertiseClientUrls
                + ", peerUrls=" + advertisePeerUrls + ", initialCluster=" + initialClusterFlag() + ", state="
                + initialClusterState.flagValue() + ", clientTls=" + (clientTls != null) + ", peerTls="
                + (peerTls != null) + "}";
    }

    /** Builds an {@link EtcdServerConfig}; not thread-safe. */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable Path dataDir;
        private List<URI> listenClientUrls = new ArrayList<>(List.of(DEFAULT_CLIENT_URL));
        private List<URI> advertiseClientUrls = new ArrayList<>();
        private List<URI> listenPeerUrls = new ArrayList<>(List.of(DEFAULT_PEER_URL));
        private List<URI> advertisePeerUrls = new ArrayList<>();
        private Map<String, URI> initialCluster = new LinkedHashMap<>();
        private InitialClusterState initialClusterState = InitialClusterState.NEW;
        private String initialClusterToken = DEFAULT_INITIAL_CLUSTER_TOKEN;
        private @Nullable TlsFiles clientTls;
        private @Nullable TlsFiles peerTls;
        private @Nullable TlsFiles healthCheckClientTls;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration electionTimeout = DEFAULT_ELECTION_TIMEOUT;
        private long quotaBackendBytes;
        private AutoCompactionMode autoCompactionMode = AutoCompactionMode.PERIODIC;
        private String autoCompactionRetention = "0";
        private boolean initialCorruptCheck;
        private @Nullable Integer maxLearners;
        private List<String> extraArgs = new ArrayList<>();
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private @Nullable Path binary;

        private Builder() {}

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Sets the client URL to listen on and to advertise. */
        public Builder clientUrl(URI url) {
            listenClientUrls(List.of(url));
            return advertiseClientUrls(List.of());
        }

        /** Sets the peer URL to listen on and to advertise. */
        public Builder peerUrl(URI url) {
            listenPeerUrls(List.of(url));
            return advertisePeerUrls(List.of());
        }

        public Builder listenClientUrls(List<URI> urls) {
            this.listenClientUrls = new ArrayList<>(urls);
            return this;
        }

        /** Client URLs to advertise; empty means "the listen URLs". */
        public Builder advertiseClientUrls(List<URI> urls) {
            this.advertiseClientUrls = new ArrayList<>(urls);
            return this;
        }

        public Builder listenPeerUrls(List<URI> urls) {
            this.listenPeerUrls = new ArrayList<>(urls);
            return this;
        }

        /** Peer URLs to advertise; empty means "the listen URLs". */
        public Builder advertisePeerUrls(List<URI> urls) {
            this.advertisePeerUrls = new ArrayList<>(urls);
            return this;
        }

        /** All members of the initial cluster, name to peer URL; empty means "this member alone". */
        public Builder initialCluster(Map<String, URI> members) {
            this.initialCluster = new LinkedHashMap<>(members);
            return this;
        }

        /** Adds one member to the initial cluster. */
        public Builder initialClusterMember(String memberName, URI peerUrl) {
            this.initialCluster.put(Objects.requireNonNull(memberName), Objects.requireNonNull(peerUrl));
            return this;
        }

        public Builder initialClusterState(InitialClusterState state) {
            this.initialClusterState = Objects.requireNonNull(state);
            return this;
        }

        public Builder initialClusterToken(String token) {
            this.initialClusterToken = Objects.requireNonNull(token);
            return this;
        }

        /** TLS of the client listener; {@code null} turns it off. URLs must then use https / http. */
        public Builder clientTls(@Nullable TlsFiles tls) {
            this.clientTls = tls;
            return this;
        }

        /** TLS of the peer listener; {@code null} turns it off. */
        public Builder peerTls(@Nullable TlsFiles tls) {
            this.peerTls = tls;
            return this;
        }

        /** The certificate presented to {@code /health}; {@code null} means the client TLS files. */
        public Builder healthCheckClientTls(@Nullable TlsFiles tls) {
            this.healthCheckClientTls = tls;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = Objects.requireNonNull(interval);
            return this;
        }

        public Builder electionTimeout(Duration timeout) {
            this.electionTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Fast timing for tests on one machine: heartbeat 10 ms, election timeout 100 ms. */
        public Builder fastElections() {
            return heartbeatInterval(Duration.ofMillis(10)).electionTimeout(Duration.ofMillis(100));
        }

        public Builder quotaBackendBytes(long bytes) {
            this.quotaBackendBytes = bytes;
            return this;
        }

        /** Auto-compaction: mode and retention ({@code "1h"} for periodic, {@code "1000"} for revision). */
        public Builder autoCompaction(AutoCompactionMode mode, String retention) {
            this.autoCompactionMode = Objects.requireNonNull(mode);
            this.autoCompactionRetention = Objects.requireNonNull(retention);
            return this;
        }

        public Builder initialCorruptCheck(boolean enabled) {
            this.initialCorruptCheck = enabled;
            return this;
        }

        /** Maximum number of learners (etcd 3.5+); {@code null} keeps etcd's default of one. */
        public Builder maxLearners(@Nullable Integer max) {
            this.maxLearners = max;
            return this;
        }

        /** Extra flags passed to etcd after the computed ones, e.g. {@code List.of("--log-level=debug")}. */
        public Builder extraArgs(List<String> args) {
            this.extraArgs = new ArrayList<>(args);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The etcd binary to run; {@code null} means search ({@code E2D_ETCD_BINARY}, then PATH). */
        public Builder binary(@Nullable Path path) {
            this.binary = path;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidEtcdConfigException with a message naming the setting to change
         */
        public EtcdServerConfig build() {
            if (name == null || name.isBlank()) {
                throw invalid("an etcd member name is required: set name(\"node1\")");
            }
            if (!NAME.matcher(name).matches()) {
                throw invalid("member name must be 1-63 letters, digits, '.', '_' or '-' (starting with a letter or"
                        + " digit), got '" + name + "'");
            }
            if (dataDir == null) {
                throw invalid("a data dir is required: set dataDir(Path.of(\"data\"))");
            }
            checkUrls("listen client", listenClientUrls, clientTls != null, "clientTls", true);
            List<URI> advClient = advertiseClientUrls.isEmpty() ? listenClientUrls : advertiseClientUrls;
            checkUrls("advertise client", advClient, clientTls != null, "clientTls", false);
            checkUrls("listen peer", listenPeerUrls, peerTls != null, "peerTls", true);
            List<URI> advPeer = advertisePeerUrls.isEmpty() ? listenPeerUrls : advertisePeerUrls;
            checkUrls("advertise peer", advPeer, peerTls != null, "peerTls", false);

            Map<String, URI> cluster = initialCluster.isEmpty() ? Map.of(name, advPeer.get(0)) : initialCluster;
            if (!cluster.containsKey(name)) {
                throw invalid("the initial cluster must contain this member '" + name + "', got " + cluster.keySet()
                        + ": add initialClusterMember(\"" + name + "\", " + advPeer.get(0) + ")");
            }
            if (!advPeer.contains(cluster.get(name))) {
                throw invalid("the initial cluster gives member '" + name + "' the peer URL " + cluster.get(name)
                        + " but it advertises " + advPeer + ": use the same URL in both");
            }
            for (Map.Entry<String, URI> e : cluster.entrySet()) {
                if (!NAME.matcher(e.getKey()).matches()) {
                    throw invalid("initial cluster member names must be letters, digits, '.', '_' or '-', got '"
                            + e.getKey() + "'");
                }
                checkUrls("initial cluster peer", List.of(e.getValue()), peerTls != null, "peerTls", false);
            }
            if (initialClusterToken.isBlank() || initialClusterToken.contains(",")) {
                throw invalid("initialClusterToken must be a non-empty string without commas, got '"
                        + initialClusterToken + "'");
            }
            if (heartbeatInterval.toMillis() < 1) {
                throw invalid("heartbeatInterval must be at least 1 ms, got " + heartbeatInterval);
            }
            if (electionTimeout.toMillis() < 5 * heartbeatInterval.toMillis()) {
                throw invalid("electionTimeout must be at least 5 x heartbeatInterval (" + heartbeatInterval.toMillis()
                        + " ms), got " + electionTimeout.toMillis() + " ms");
            }
            if (electionTimeout.toMillis() > 50_000) {
                throw invalid("electionTimeout must be at most 50 s, got " + electionTimeout.toMillis() + " ms");
            }
            if (quotaBackendBytes < 0) {
                throw invalid("quotaBackendBytes must be >= 0 (0 = etcd's default), got " + quotaBackendBytes);
            }
            checkRetention();
            if (maxLearners != null && maxLearners < 1) {
                throw invalid("maxLearners must be >= 1, got " + maxLearners);
            }
            for (String arg : extraArgs) {
                if (!arg.startsWith("-")) {
                    throw invalid("extra etcd args must be flags such as --log-level=debug, got '" + arg + "'");
                }
            }
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw invalid("startTimeout must be positive, got " + startTimeout);
            }
            if (stopTimeout.isNegative()) {
                throw invalid("stopTimeout must be >= 0, got " + stopTimeout);
            }
            return new EtcdServerConfig(this, advClient, advPeer, cluster);
        }

        private void checkRetention() {
            String r = autoCompactionRetention.trim();
            boolean ok = autoCompactionMode == AutoCompactionMode.REVISION
                    ? r.matches("\\d+")
                    : r.matches("\\d+") || r.matches("(\\d+(\\.\\d+)?(ns|us|ms|s|m|h))+");
            if (!ok) {
                throw invalid("autoCompactionRetention '" + autoCompactionRetention + "' is not valid for mode "
                        + autoCompactionMode.flagValue() + ": use a number of "
                        + (autoCompactionMode == AutoCompactionMode.REVISION
                                ? "revisions such as 1000"
                                : "hours or a duration such as 30m or 1h"));
            }
        }

        private static void checkUrls(String what, List<URI> urls, boolean tls, String tlsSetting, boolean listen) {
            if (urls.isEmpty()) {
                throw invalid("at least one " + what + " URL is required");
            }
            for (URI url : urls) {
                String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw invalid(what + " URL must be http://host:port or https://host:port, got '" + url + "'");
                }
                if (url.getHost() == null || url.getPort() < 0) {
                    throw invalid(what + " URL must name a host and a port, got '" + url + "'");
                }
                if (url.getPort() == 0) {
                    throw invalid(what + " URL must have a fixed port (not 0), got '" + url + "'");
                }
                if (url.getPath() != null && !url.getPath().isEmpty()) {
                    throw invalid(what + " URL must not have a path (not even a trailing /), got '" + url + "'");
                }
                if (scheme.equals("https") && !tls) {
                    throw invalid(what + " URL " + url + " uses https but no " + tlsSetting + " is set: set "
                            + tlsSetting + "(TlsFiles.of(cert, key, ca)) or use http");
                }
                if (scheme.equals("http") && tls) {
                    throw invalid(what + " URL " + url + " uses http but " + tlsSetting + " is set: use https://"
                            + url.getAuthority());
                }
                if (!listen && (url.getHost().equals("0.0.0.0") || url.getHost().equals("[::]"))) {
                    throw invalid(what + " URL must be an address others can reach, not " + url.getHost()
                            + ": set the advertised URL to this host's IP or name");
                }
            }
        }

        private static InvalidEtcdConfigException invalid(String message) {
            return new InvalidEtcdConfigException(message);
        }
    }
}
