package io.e2d.core.manager;

import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.gossip.Membership;
import io.e2d.pki.LeafFiles;
import io.e2d.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** One in-process e2d node for the manager integration tests: its own ports, data dir and manager. */
final class TestNode implements AutoCloseable {
    static final Duration HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(3);

    final String name;
    final Path dataDir;
    final URI clientUrl;
    final URI peerUrl;
    final int size;
    private final InMemoryGossipNetwork network;
    private final @Nullable SnapshotBackups backups;
    private final @Nullable TestPki pki;
    private final @Nullable LeafFiles certs;
    volatile Duration healthCheckTimeout = HEALTH_CHECK_TIMEOUT;
    /** Whether the manager is given the name (else it resolves it from the data dir, as without --name). */
    volatile boolean nameFlag = true;
    /**
     * Real SWIM gossip (e2d-discovery) on this loopback port instead of the in-memory network, made by a
     * factory so that {@link EtcdManager#restartEtcd()} restarts it too; 0 for the in-memory network.
     */
    volatile int gossipPort;

    volatile List<PeerAddress> gossipSeeds = List.of();
    volatile byte @Nullable [] gossipKey;

    volatile @Nullable EtcdManager manager;
    private volatile @Nullable CompletableFuture<Void> starting;

    TestNode(
            String name,
            Path dataDir,
            URI clientUrl,
            URI peerUrl,
            int size,
            InMemoryGossipNetwork network,
            @Nullable SnapshotBackups backups) {
        this(name, dataDir, clientUrl, peerUrl, size, network, backups, null, null);
    }

    private TestNode(
            String name,
            Path dataDir,
            URI clientUrl,
            URI peerUrl,
            int size,
            InMemoryGossipNetwork network,
            @Nullable SnapshotBackups backups,
            @Nullable TestPki pki,
            @Nullable LeafFiles certs) {
        this.pki = pki;
        this.certs = certs;
        this.name = name;
        this.dataDir = dataDir;
        this.clientUrl = clientUrl;
        this.peerUrl = peerUrl;
        this.size = size;
        this.network = network;
        this.backups = backups;
    }

    static TestNode create(
            String name, Path root, int size, InMemoryGossipNetwork network, @Nullable SnapshotBackups backups) {
        return new TestNode(name, root.resolve(name), url(freePort()), url(freePort()), size, network, backups);
    }

    /**
     * A node with mutual TLS on both etcd listeners: certificates issued by {@code pki} for this node,
     * the manager's clients present the peer certificate.
     */
    static TestNode createTls(
            String name,
            Path root,
            int size,
            InMemoryGossipNetwork network,
            @Nullable SnapshotBackups backups,
            TestPki pki) {
        return new TestNode(
                name,
                root.resolve(name),
                https(freePort()),
                https(freePort()),
                size,
                network,
                backups,
                pki,
                pki.issue(name));
    }

    /** A new node with another name and data dir that reuses this node's addresses. */
    TestNode replacement(String newName, Path root) {
        TestNode n = new TestNode(
                newName,
                root.resolve(newName),
                clientUrl,
                peerUrl,
                size,
                network,
                backups,
                pki,
                pki == null ? null : pki.issue(newName));
        n.healthCheckTimeout = healthCheckTimeout;
        return n;
    }

    /** The same node (name, addresses, data dir), to start again. */
    TestNode again() {
        return again(backups);
    }

    /** The same node, to start again with other snapshot backups (e.g. another key). */
    TestNode again(@Nullable SnapshotBackups newBackups) {
        TestNode n = new TestNode(name, dataDir, clientUrl, peerUrl, size, network, newBackups, pki, certs);
        n.healthCheckTimeout = healthCheckTimeout;
        n.gossipPort = gossipPort;
        n.gossipSeeds = gossipSeeds;
        n.gossipKey = gossipKey;
        return n;
    }

    static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    static URI https(int port) {
        return URI.create("https://127.0.0.1:" + port);
    }

    /** The certificates of this node (TLS nodes only). */
    LeafFiles certs() {
        return java.util.Objects.requireNonNull(certs, "not a TLS node");
    }

    /** A free loopback port never handed out before in this JVM (a killed node's port stays its own). */
    static int freePort() {
        return FreePorts.tcp();
    }

    ManagerConfig config() {
        ManagerConfig.Builder b = ManagerConfig.builder();
        if (gossipPort > 0) {
            b.gossipAddress(new PeerAddress("127.0.0.1", gossipPort));
        }
        return b.name(nameFlag ? name : null)
                .dataDir(dataDir)
                .clientUrl(clientUrl)
                .peerUrl(peerUrl)
                .requiredClusterSize(size)
                .bootstrapAddresses(
                        gossipPort > 0 ? gossipSeeds : size > 1 ? List.of(new PeerAddress("127.0.0.1", 1)) : List.of())
                .healthCheckTimeout(healthCheckTimeout)
                .bootstrapTimeout(Duration.ofSeconds(60))
                .etcdStartTimeout(Duration.ofSeconds(20))
                .promoteTimeout(Duration.ofSeconds(30))
                .snapshotInterval(Duration.ofHours(1))
                .tick(Duration.ofMillis(200))
                .clientTls(pki == null ? null : pki.server(name, certs()))
                .peerTls(pki == null ? null : pki.peer(name, certs()))
                .fastElections()
                .build();
    }

    /** Starts the manager on another thread; {@link #awaitStarted()} waits for it. */
    TestNode startAsync() {
        ManagerConfig config = config();
        String resolved = EtcdManager.resolveName(config);
        EtcdManager.Builder b =
                EtcdManager.builder(config).resolvedName(resolved).snapshots(backups);
        if (gossipPort > 0) {
            byte[] key = gossipKey;
            // TLS gossip probes open a TLS connection each: at e2d-discovery's advice, 1 s on a busy machine
            b.gossipFactory(() -> Gossip.of(Membership.create(Gossip.membershipConfig(config, resolved, key)
                    .probeInterval(Duration.ofSeconds(1))
                    .silenceTimeout(Duration.ofSeconds(30))
                    .build())));
        } else {
            b.gossip(size > 1 ? network.join(resolved, clientUrl, peerUrl) : null);
        }
        EtcdManager m = b.build();
        manager = m;
        starting = CompletableFuture.runAsync(m::start);
        return this;
    }

    TestNode awaitStarted() {
        try {
            java.util.Objects.requireNonNull(starting).get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("node " + name + " did not start: " + e, e);
        }
        return this;
    }

    EtcdManager manager() {
        return java.util.Objects.requireNonNull(manager);
    }

    /** kill -9 of etcd and instant disappearance from gossip. */
    void kill() {
        EtcdManager m = manager();
        m.server().ifPresent(s -> ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly));
        m.close();
    }

    /** A client of this node (with TLS: presenting the CA's client certificate). */
    Client client() {
        return client(List.of(this));
    }

    /** A client of all of {@code nodes} (all TLS or none). */
    static Client client(List<TestNode> nodes) {
        ClientBuilder b =
                Client.builder().endpoints(nodes.stream().map(n -> n.clientUrl).toArray(URI[]::new));
        TestPki pki = nodes.get(0).pki;
        if (pki == null) {
            return b.build();
        }
        try {
            return pki.clientTls(b).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        EtcdManager m = manager;
        if (m != null) {
            m.close();
        }
    }
}
