package io.e2d.core.manager;

import io.e2d.core.internal.DataDirs;
import io.e2d.core.manager.StartupDecision.Action;
import io.e2d.core.server.EtcdBinary;
import io.e2d.core.server.EtcdServer;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.core.server.InitialClusterState;
import io.e2d.core.server.TlsFiles;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberAddResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one e2d node: resolves its name, gossips with its peers, decides whether to restart, join as a
 * learner, bootstrap or restore ({@link StartupDecision}), starts etcd, then keeps the cluster in
 * shape in the background: removes members gone from gossip longer than the health-check timeout
 * ({@link MemberRemoval}), takes leader-only snapshots when the revision moved, and serves {@code
 * /healthz} and {@code /metrics}.
 *
 * <p>{@link #start()} blocks until etcd runs healthy on this node; {@link #close()} stops everything
 * in reverse order and is idempotent. Thread-safe.
 *
 * <pre>{@code
 * try (EtcdManager manager = EtcdManager.builder(config).gossip(gossip).snapshots(backups).build()) {
 *     manager.start();
 *     manager.awaitTermination();
 * }
 * }</pre>
 */
public final class EtcdManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdManager.class);
    /** The prefix of e2d's own keys in etcd. */
    public static final String VOLATILE_PREFIX = "/_e2d";
    /** Holds the time of the restore after a cluster was restored from a snapshot. */
    public static final String SNAPSHOT_MARKER_KEY = VOLATILE_PREFIX + "/snapshot";
    /** Holds the cluster info (required cluster size, creation time). */
    public static final String CLUSTER_INFO_KEY = VOLATILE_PREFIX + "/cluster";

    private static final String RESTORE_ID_KEY = VOLATILE_PREFIX + "/restore-id";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The manager's life cycle. */
    public enum State {
        NEW,
        BOOTSTRAPPING,
        RUNNING,
        RESTARTING,
        FAILED,
        STOPPED
    }

    private final ManagerConfig config;
    private final @Nullable Supplier<? extends Gossip> gossipFactory;
    private volatile @Nullable Gossip gossip;
    private final @Nullable SnapshotBackups backups;
    private final Clock clock;
    private final String name;
    private final ReentrantLock etcdLock = new ReentrantLock();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicReference<@Nullable Instant> lastSnapshot = new AtomicReference<>();
    private final AtomicReference<@Nullable String> lastSnapshotName = new AtomicReference<>();
    private final AtomicLong snapshotFailures = new AtomicLong();
    private final AtomicLong removedMembers = new AtomicLong();
    private final AtomicReference<@Nullable String> failure = new AtomicReference<>();
    private volatile @Nullable EtcdServer etcd;
    private volatile @Nullable Client localClient;
    private volatile @Nullable ScheduledExecutorService background;
    private volatile @Nullable StatusHttpServer http;
    private volatile Map<Long, Instant> missingSince = Map.of();
    private volatile long lastSnapshotRevision;
    private volatile @Nullable EtcdBinary binary;

    private EtcdManager(Builder b) {
        this.config = b.config;
        if (b.gossip != null && b.gossipFactory != null) {
            throw new InvalidManagerConfigException(
                    "pass either a gossip layer or a gossip factory to EtcdManager.builder(config), not both");
        }
        this.gossipFactory = b.gossipFactory;
        this.gossip = b.gossipFactory != null ? Objects.requireNonNull(b.gossipFactory.get(), "gossip") : b.gossip;
        this.backups = b.backups;
        this.clock = b.clock;
        this.name = b.name != null ? b.name : NodeFile.resolveName(config.name(), config.dataDir(), config.peerUrl());
        if (config.requiredClusterSize() > 1 && gossip == null) {
            throw new InvalidManagerConfigException("-n " + config.requiredClusterSize()
                    + " needs gossip: pass one to EtcdManager.builder(config).gossip(...)");
        }
    }

    /** A builder for a manager running {@code config}. */
    public static Builder builder(ManagerConfig config) {
        return new Builder(config);
    }

    /** This node's name (resolved at construction: configured, read back from the data dir, or new). */
    public String name() {
        return name;
    }

    /** The configuration. */
    public ManagerConfig config() {
        return config;
    }

    /** The current state. */
    public State state() {
        return state.get();
    }

    /** The running etcd server, if any. */
    public Optional<EtcdServer> server() {
        return Optional.ofNullable(etcd);
    }

    /**
     * Joins or bootstraps the cluster and starts etcd; blocks until etcd runs healthy here, at most
     * the bootstrap timeout.
     *
     * @throws BootstrapTimeoutException when no cluster could be joined or bootstrapped in time
     * @throws UnverifiableSnapshotException when the store has snapshots but none verifies
     * @throws ClusterSizeMismatchException when the cluster was created with another size
     * @throws IllegalStateException when called twice
     */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.BOOTSTRAPPING)) {
            throw new IllegalStateException("start() was already called (state " + state.get() + ")");
        }
        try {
            prepareDataDir();
            binary = EtcdBinary.resolve(config.etcdBinary());
            if (gossip != null) {
                gossip.start();
                gossip.publish(PeerStatus.UNKNOWN);
            }
            bootstrapLoop();
            afterStart();
            state.set(State.RUNNING);
            startBackground();
            LOG.info(
                    "node {} runs etcd at {} (cluster size {})",
                    name,
                    config.clientUrl(),
                    config.requiredClusterSize());
        } catch (RuntimeException e) {
            state.set(State.FAILED);
            failure.set(e.getMessage());
            closeQuietly();
            throw e;
        }
    }

    private void prepareDataDir() {
        Path dir = config.dataDir();
        try {
            DataDirs.prepare(dir);
            Optional<NodeFile> file = NodeFile.read(dir);
            if (file.isPresent() && file.get().restoredFrom().isPresent() && NodeFile.hasEtcdData(dir)) {
                // etcd never ran healthy on this restore: it is a copy of a snapshot that is still in the
                // store, so it can be dropped and redone with the snapshot the peers choose this time.
                LOG.warn(
                        "data dir {} holds an unfinished restore of {}; dropping it",
                        dir,
                        file.get().restoredFrom().get());
                SnapshotRestorer.deleteTree(dir.resolve("member"));
            }
            new NodeFile(name, Optional.empty()).write(dir);
        } catch (IOException e) {
            throw new ManagerException(
                    "cannot prepare data dir " + dir + ": " + e.getMessage()
                            + "; check that the path is writable by this user",
                    e);
        }
    }

    private void bootstrapLoop() {
        Instant deadline = clock.instant().plus(config.bootstrapTimeout());
        String lastReason = "";
        while (true) {
            if (state.get() != State.BOOTSTRAPPING) {
                throw new ManagerException("the manager was closed while bootstrapping");
            }
            Action action = decideOnce();
            String reason = action.toString();
            if (!reason.equals(lastReason)) {
                LOG.info("node {}: {}", name, reason);
                lastReason = reason;
            }
            try {
                if (act(action)) {
                    return;
                }
            } catch (IOException | io.e2d.core.E2dException e) {
                if (e instanceof ManagerException) {
                    throw (ManagerException) e;
                }
                LOG.warn(
                        "node {}: {} failed, retrying: {}",
                        name,
                        action.getClass().getSimpleName(),
                        e.getMessage());
                lastReason = "";
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new BootstrapTimeoutException("node " + name + " could not join or bootstrap a cluster within "
                        + config.bootstrapTimeout() + "; last state: " + reason + ". Check that "
                        + config.requiredClusterSize() + " nodes run with the same -n and can reach each other's gossip"
                        + " addresses " + config.bootstrapAddresses());
            }
            pause(config.tick());
        }
    }

    /** Gathers the view and evaluates the decision. */
    private Action decideOnce() {
        boolean hasData = NodeFile.hasEtcdData(config.dataDir());
        if (gossip == null) {
            GossipPeer self =
                    new GossipPeer(name, config.clientUrl(), config.peerUrl(), PeerStatus.PENDING, true, true);
            return StartupDecision.decide(
                    new StartupDecision.View(name, config.peerUrl(), 1, List.of(self), Optional.empty(), hasData));
        }
        List<GossipPeer> members = gossip.members();
        StartupDecision.View view = new StartupDecision.View(
                name, config.peerUrl(), config.requiredClusterSize(), members, Optional.empty(), hasData);
        Optional<List<EtcdMember>> membership = Optional.empty();
        for (GossipPeer p : view.runningPeers()) {
            try (Client c = EtcdClients.create(p.clientUrl(), config.peerTls())) {
                membership = Optional.of(memberList(c));
                checkClusterInfo(c);
                break;
            } catch (IOException e) {
                LOG.debug("member list from {} failed: {}", p.name(), e.getMessage());
            }
        }
        return StartupDecision.decide(new StartupDecision.View(
                name, config.peerUrl(), config.requiredClusterSize(), members, membership, hasData));
    }

    /** Carries out an action; true when etcd now runs. */
    private boolean act(Action action) throws IOException {
        if (action instanceof StartupDecision.Wait) {
            return false;
        }
        if (action instanceof StartupDecision.PublishPending) {
            Objects.requireNonNull(gossip).publish(PeerStatus.PENDING);
            return false;
        }
        if (action instanceof StartupDecision.RestartMember r) {
            startEtcd(InitialClusterState.EXISTING, r.initialCluster());
            if (r.promote()) {
                try (Client c = EtcdClients.create(runningPeer().clientUrl(), config.peerTls())) {
                    promote(
                            c,
                            memberList(c).stream()
                                    .filter(m -> m.hasPeerUrl(config.peerUrl()))
                                    .findFirst()
                                    .orElseThrow(() -> new IOException("this node is no longer a member"))
                                    .id());
                }
            }
            return true;
        }
        if (action instanceof StartupDecision.ResumeFromData) {
            startEtcd(InitialClusterState.NEW, Map.of(name, config.peerUrl()));
            return true;
        }
        if (action instanceof StartupDecision.JoinAsLearner j) {
            joinAsLearner(j);
            return true;
        }
        if (action instanceof StartupDecision.Bootstrap b) {
            bootstrap(b.initialCluster());
            return true;
        }
        throw new IllegalStateException("unknown action " + action);
    }

    private void joinAsLearner(StartupDecision.JoinAsLearner join) throws IOException {
        GossipPeer via = runningPeer();
        try (Client c = EtcdClients.create(via.clientUrl(), config.peerTls())) {
            for (EtcdMember m : join.evict()) {
                LOG.info(
                        "node {}: removing member {} ({}) before joining: it is this node's old identity or uses this"
                                + " peer URL",
                        name,
                        m.name(),
                        m.hexId());
                removeMember(c, m.id());
            }
            if (join.discardLocalData()) {
                moveDataAside();
            }
            MemberAddResponse added = addLearner(c);
            long id = added.getMember().getId();
            // the initial cluster must list exactly the current members (etcd compares the URL sets)
            Map<String, URI> cluster = new LinkedHashMap<>();
            for (Member m : added.getMembers()) {
                if (m.getId() == id) {
                    cluster.put(name, config.peerUrl());
                } else if (!m.getPeerURIs().isEmpty()) {
                    String n = m.getName() == null || m.getName().isEmpty()
                            ? "unstarted-" + Long.toHexString(m.getId())
                            : m.getName();
                    cluster.put(n, m.getPeerURIs().get(0));
                }
            }
            try {
                startEtcd(InitialClusterState.EXISTING, cluster);
                promote(c, id);
            } catch (RuntimeException | IOException e) {
                LOG.warn(
                        "node {}: joining as learner failed, stopping etcd and removing learner {}",
                        name,
                        Long.toHexString(id));
                stopEtcdQuietly();
                try {
                    removeMember(c, id);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    private GossipPeer runningPeer() throws IOException {
        return Objects.requireNonNull(gossip).members().stream()
                .filter(p -> !p.local() && p.reachable() && p.status() == PeerStatus.RUNNING)
                .findFirst()
                .orElseThrow(() -> new IOException("no running node is visible in gossip any more"));
    }

    private void stopEtcdQuietly() {
        EtcdServer s = etcd;
        etcd = null;
        Client old = localClient;
        localClient = null;
        if (old != null) {
            old.close();
        }
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("node {}: stopping etcd failed: {}", name, e.getMessage());
            }
        }
    }

    private MemberAddResponse addLearner(Client c) throws IOException {
        Instant until = clock.instant().plus(Duration.ofMinutes(1));
        while (true) {
            try {
                MemberAddResponse r = EtcdClients.await(
                        c.getClusterClient().addMember(List.of(config.peerUrl()), true), CALL_TIMEOUT, "member add");
                LOG.info(
                        "node {}: added as learner {}",
                        name,
                        Long.toHexString(r.getMember().getId()));
                return r;
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                boolean retry = m.contains("unhealthy cluster") || m.contains("too many learner");
                if (!retry || !clock.instant().isBefore(until)) {
                    throw e;
                }
                pause(Duration.ofMillis(250));
            }
        }
    }

    /** Promotes learner {@code id} through {@code c}, a client of a voting member (a learner cannot). */
    private void promote(Client c, long id) throws IOException {
        Instant until = clock.instant().plus(config.promoteTimeout());
        while (true) {
            try {
                EtcdClients.await(c.getClusterClient().promoteMember(id), CALL_TIMEOUT, "member promote");
                LOG.info("node {}: promoted to voting member", name);
                return;
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("not a learner") || m.contains("is not a learner")) {
                    return;
                }
                if (!clock.instant().isBefore(until)) {
                    throw new IOException(
                            "learner " + Long.toHexString(id) + " was not promoted within " + config.promoteTimeout()
                                    + ": " + m,
                            e);
                }
                pause(Duration.ofMillis(200));
            }
        }
    }

    private void bootstrap(Map<String, URI> initialCluster) throws IOException {
        Optional<Path> fetched = Optional.empty();
        String snapshotName = null;
        Path tempDir = null;
        try {
            StartupDecision.SnapshotState snapshots = StartupDecision.SnapshotState.none();
            Throwable lastError = null;
            String newestFailure = "";
            if (backups != null) {
                List<String> names = backups.list();
                int bad = 0;
                tempDir = Files.createTempDirectory("e2d-restore");
                for (String n : names) {
                    try {
                        fetched = Optional.of(backups.fetch(n, tempDir));
                        snapshotName = n;
                        break;
                    } catch (IOException | RuntimeException e) {
                        if (bad == 0) {
                            newestFailure = "; the newest, " + n + ": " + e.getMessage();
                        }
                        bad++;
                        lastError = e;
                        LOG.warn("node {}: snapshot {} cannot be used: {}", name, n, e.getMessage());
                    }
                }
                snapshots = new StartupDecision.SnapshotState(true, Optional.ofNullable(snapshotName), bad);
            }
            StartupDecision.BootstrapAction how = StartupDecision.bootstrap(snapshots);
            if (how instanceof StartupDecision.Refuse r) {
                throw new UnverifiableSnapshotException(r.reason() + newestFailure, lastError);
            }
            if (how instanceof StartupDecision.Restore restore) {
                String token = restoreToken(restore.snapshot(), initialCluster);
                EtcdServerConfig cfg = etcdConfig(InitialClusterState.NEW, initialCluster, token);
                new NodeFile(name, Optional.of(restore.snapshot())).write(config.dataDir());
                LOG.info(
                        "node {}: restoring snapshot {} from {} with initial cluster {}",
                        name,
                        restore.snapshot(),
                        Objects.requireNonNull(backups).describe(),
                        initialCluster.keySet());
                SnapshotRestorer.restore(fetched.orElseThrow(), cfg, Objects.requireNonNull(binary));
                try {
                    runEtcd(cfg);
                } catch (RuntimeException e) {
                    // etcd never ran on the restored data: it is only a copy of the stored snapshot
                    SnapshotRestorer.deleteTree(config.dataDir().resolve("member"));
                    throw e;
                }
                new NodeFile(name, Optional.empty()).write(config.dataDir());
                markRestored(token);
            } else {
                startEtcd(InitialClusterState.NEW, initialCluster);
            }
        } finally {
            if (tempDir != null) {
                SnapshotRestorer.deleteTree(tempDir);
            }
        }
    }

    /**
     * The initial-cluster token of a restore: derived from the snapshot and the members, so nodes that
     * restored different snapshots get different member ids and refuse each other instead of serving
     * diverging data.
     */
    static String restoreToken(String snapshot, Map<String, URI> initialCluster) {
        String basis = snapshot + "|" + new java.util.TreeMap<>(initialCluster);
        try {
            byte[] h =
                    java.security.MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return "e2d-restore-" + java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Clears {@code /_e2d} once per restore (the first restoring node to get there does it) and sets
     * {@code /_e2d/snapshot} to the restore time. Failures are logged, never fatal: the cluster is
     * already serving the restored data.
     */
    private void markRestored(String token) {
        KV kv = Objects.requireNonNull(localClient).getKVClient();
        ByteSequence idKey = bytes(RESTORE_ID_KEY);
        Cmp done = new Cmp(idKey, Cmp.Op.EQUAL, CmpTarget.value(bytes(token)));
        String now = clock.instant().toString();
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                TxnResponse cleared = EtcdClients.await(
                        kv.txn()
                                .If(done)
                                .Then()
                                .Else(Op.delete(
                                        bytes(VOLATILE_PREFIX),
                                        DeleteOption.builder().isPrefix(true).build()))
                                .commit(),
                        CALL_TIMEOUT,
                        "clearing " + VOLATILE_PREFIX);
                if (!cleared.isSucceeded()) {
                    EtcdClients.await(
                            kv.txn()
                                    .If(done)
                                    .Then()
                                    .Else(
                                            Op.put(bytes(SNAPSHOT_MARKER_KEY), bytes(now), PutOption.DEFAULT),
                                            Op.put(idKey, bytes(token), PutOption.DEFAULT))
                                    .commit(),
                            CALL_TIMEOUT,
                            "writing " + SNAPSHOT_MARKER_KEY);
                    LOG.info("node {}: cleared {} and set {} = {}", name, VOLATILE_PREFIX, SNAPSHOT_MARKER_KEY, now);
                }
                return;
            } catch (IOException e) {
                LOG.warn("node {}: marking the restore failed (attempt {}): {}", name, attempt, e.getMessage());
                pause(Duration.ofMillis(500));
            }
        }
    }

    private void startEtcd(InitialClusterState st, Map<String, URI> initialCluster) {
        runEtcd(etcdConfig(st, initialCluster, EtcdServerConfig.DEFAULT_INITIAL_CLUSTER_TOKEN));
    }

    private EtcdServerConfig etcdConfig(InitialClusterState st, Map<String, URI> initialCluster, String token) {
        EtcdServerConfig.Builder b = EtcdServerConfig.builder()
                .name(name)
                .dataDir(config.dataDir())
                .listenClientUrls(config.listenClientUrls())
                .advertiseClientUrls(List.of(config.clientUrl()))
                .listenPeerUrls(config.listenPeerUrls())
                .advertisePeerUrls(List.of(config.peerUrl()))
                .initialCluster(initialCluster)
                .initialClusterState(st)
                .initialClusterToken(token)
                .clientTls(config.clientTls().orElse(null))
                .peerTls(config.peerTls().orElse(null))
                .heartbeatInterval(config.heartbeatInterval())
                .electionTimeout(config.electionTimeout())
                .startTimeout(config.etcdStartTimeout())
                .binary(config.etcdBinary().orElse(null));
        if (config.clientTls().map(TlsFiles::isCertAuth).orElse(false)
                && config.peerTls().isPresent()) {
            // with client-cert-auth the health probe presents the peer certificate (server certificates
            // often lack the clientAuth usage), as Go e2d's internal clients did
            b.healthCheckClientTls(config.peerTls().get());
        }
        return b.build();
    }

    /** Starts etcd with {@code cfg} and connects the local client. */
    private void runEtcd(EtcdServerConfig cfg) {
        etcdLock.lock();
        try {
            EtcdServer server = EtcdServer.create(cfg, Objects.requireNonNull(binary));
            server.addListener(new EtcdServer.Listener() {
                @Override
                public void onUnexpectedExit(EtcdServer s, int exitCode) {
                    onEtcdExit(s, exitCode);
                }
            });
            server.start();
            etcd = server;
            Client old = localClient;
            localClient = EtcdClients.create(config.clientUrl(), config.peerTls());
            if (old != null) {
                old.close();
            }
        } finally {
            etcdLock.unlock();
        }
    }

    private void onEtcdExit(EtcdServer s, int exitCode) {
        // during bootstrap a failed start or promotion is retried by the loop itself
        if (s != etcd || state.get() != State.RUNNING) {
            return;
        }
        String why = "etcd exited unexpectedly with code " + exitCode + " (removed from the cluster, killed or"
                + " crashed); last log: " + String.join(" | ", tail(s.recentLog(), 3));
        LOG.error("node {}: {}", name, why);
        failure.set(why);
        state.set(State.FAILED);
        if (gossip != null) {
            gossip.publish(PeerStatus.UNKNOWN);
        }
        terminated.countDown();
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    /** After etcd is healthy: record the cluster info, forget an unfinished restore, publish running. */
    private void afterStart() {
        try {
            // right after a promotion the local member may still apply it ("rpc not supported for learner")
            Instant until = clock.instant().plus(Duration.ofSeconds(30));
            while (true) {
                try {
                    writeClusterInfo(Objects.requireNonNull(localClient));
                    break;
                } catch (IOException e) {
                    if (!clock.instant().isBefore(until)) {
                        throw e;
                    }
                    pause(Duration.ofMillis(200));
                }
            }
            new NodeFile(name, Optional.empty()).write(config.dataDir());
        } catch (IOException e) {
            throw new ManagerException("etcd started but e2d could not record its state: " + e.getMessage(), e);
        }
        if (gossip != null) {
            gossip.publish(PeerStatus.RUNNING);
        }
    }

    private void writeClusterInfo(Client c) throws IOException {
        ByteSequence key = bytes(CLUSTER_INFO_KEY);
        String value = "requiredClusterSize=" + config.requiredClusterSize() + "\ncreated=" + clock.instant() + "\n";
        TxnResponse r = EtcdClients.await(
                c.getKVClient()
                        .txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                        .Then(Op.put(key, bytes(value), PutOption.DEFAULT))
                        .Else(Op.get(key, GetOption.DEFAULT))
                        .commit(),
                CALL_TIMEOUT,
                "writing the cluster info");
        if (!r.isSucceeded() && !r.getGetResponses().isEmpty()) {
            checkSize(r.getGetResponses().get(0));
        }
    }

    private void checkClusterInfo(Client c) throws IOException {
        checkSize(
                EtcdClients.await(c.getKVClient().get(bytes(CLUSTER_INFO_KEY)), CALL_TIMEOUT, "reading cluster info"));
    }

    private void checkSize(GetResponse get) {
        if (get.getKvs().isEmpty()) {
            return;
        }
        String text = get.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.startsWith("requiredClusterSize=")) {
                int size = Integer.parseInt(
                        line.substring("requiredClusterSize=".length()).trim());
                if (size != config.requiredClusterSize()) {
                    throw new ClusterSizeMismatchException(size, config.requiredClusterSize());
                }
            }
        }
    }

    private void moveDataAside() throws IOException {
        Path dir = config.dataDir().toAbsolutePath();
        Path member = dir.resolve("member");
        if (!Files.exists(member)) {
            return;
        }
        Path aside = dir.resolveSibling(dir.getFileName() + ".removed-" + clock.millis());
        Files.createDirectories(aside);
        Files.move(member, aside.resolve("member"));
        LOG.warn(
                "node {}: this node is no longer a member; its old etcd data was moved to {} (delete it once the"
                        + " cluster is healthy)",
                name,
                aside);
    }

    private void startBackground() {
        ScheduledExecutorService ses = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "e2d-manager-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        background = ses;
        long tick = config.tick().toMillis();
        if (gossip != null) {
            ses.scheduleWithFixedDelay(this::removalTick, tick, tick, TimeUnit.MILLISECONDS);
        }
        if (backups != null) {
            long every = config.snapshotInterval().toMillis();
            ses.scheduleWithFixedDelay(this::snapshotTick, every, every, TimeUnit.MILLISECONDS);
        }
        config.httpAddress().ifPresent(addr -> {
            try {
                http = StatusHttpServer.start(addr, this::status, clock);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve /healthz on " + addr + ": " + e.getMessage(), e);
            }
        });
    }

    private void removalTick() {
        try {
            Client c = localClient;
            if (c == null || state.get() != State.RUNNING || gossip == null) {
                return;
            }
            List<EtcdMember> members = memberList(c);
            MemberRemoval.Result r = MemberRemoval.evaluate(
                    name,
                    config.peerUrl(),
                    config.requiredClusterSize(),
                    members,
                    gossip.members(),
                    missingSince,
                    clock.instant(),
                    config.healthCheckTimeout());
            missingSince = r.missingSince();
            for (MemberRemoval.Removal rm : r.removals()) {
                LOG.warn(
                        "node {}: removing etcd member {} ({}): {}",
                        name,
                        rm.member().name(),
                        rm.member().hexId(),
                        rm.reason());
                removeMember(c, rm.member().id());
                removedMembers.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("node {}: member check failed: {}", name, e.getMessage());
        }
    }

    private void snapshotTick() {
        Client c = localClient;
        EtcdServer s = etcd;
        if (c == null || s == null || backups == null || state.get() != State.RUNNING) {
            return;
        }
        try {
            StatusResponse st = EtcdClients.await(
                    c.getMaintenanceClient().statusMember(config.clientUrl().toString()), CALL_TIMEOUT, "status");
            if (st.getLeader() != st.getHeader().getMemberId()) {
                return;
            }
            long rev = st.getHeader().getRevision();
            if (rev <= lastSnapshotRevision) {
                return;
            }
            String saved = backups.save(EtcdClients.snapshotSource(config.clientUrl(), config.peerTls()), rev);
            lastSnapshotRevision = rev;
            lastSnapshot.set(clock.instant());
            lastSnapshotName.set(saved);
            LOG.info("node {}: saved snapshot {} at revision {} to {}", name, saved, rev, backups.describe());
        } catch (IOException | RuntimeException e) {
            snapshotFailures.incrementAndGet();
            LOG.warn("node {}: snapshot failed: {}", name, e.getMessage());
        }
    }

    /**
     * Takes a snapshot now if this node leads and the revision moved since the last one.
     *
     * @return whether a snapshot was saved
     */
    public boolean snapshotNow() {
        long before = lastSnapshotRevision;
        snapshotTick();
        return lastSnapshotRevision != before;
    }

    /**
     * Restarts etcd in place with the same data dir, to pick up renewed certificate files or a new CA
     * file. Blocks until etcd is healthy again. A gossip layer given as a {@linkplain
     * Builder#gossipFactory factory} is replaced by a new one from the factory once etcd is back (gossip
     * TLS reads the peer certificate and CA files only when it starts); one given as an instance keeps
     * running as it is.
     *
     * @throws ManagerException when etcd does not come back
     */
    public void restartEtcd() {
        if (!state.compareAndSet(State.RUNNING, State.RESTARTING)) {
            throw new IllegalStateException("etcd can only be restarted while running, state is " + state.get());
        }
        etcdLock.lock();
        try {
            EtcdServer old = Objects.requireNonNull(etcd);
            // gossip TLS reads its files only when it starts: a factory's gossip is replaced, the old one
            // closing (seconds in atomix) while etcd restarts
            Thread closingGossip = closeGossipInBackground();
            old.stop();
            runEtcd(old.config().toBuilder()
                    .initialClusterState(InitialClusterState.EXISTING)
                    .build());
            if (closingGossip != null) {
                startNewGossip(closingGossip);
            }
            state.compareAndSet(State.RESTARTING, State.RUNNING);
        } catch (RuntimeException e) {
            state.set(State.FAILED);
            failure.set(e.getMessage());
            terminated.countDown();
            throw new ManagerException("etcd did not restart: " + e.getMessage(), e);
        } finally {
            etcdLock.unlock();
        }
    }

    /** Closes the gossip layer on another thread when a factory can replace it; null otherwise. */
    private @Nullable Thread closeGossipInBackground() {
        Gossip old = gossip;
        if (gossipFactory == null || old == null) {
            return null;
        }
        Thread t = new Thread(old::close, "e2d-gossip-close-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the old gossip layer to be closed, then starts a new one from the factory. */
    private void startNewGossip(Thread closingGossip) {
        try {
            closingGossip.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerException("interrupted while restarting gossip", e);
        }
        Gossip fresh =
                Objects.requireNonNull(Objects.requireNonNull(gossipFactory).get(), "gossip");
        gossip = fresh;
        if (state.get() == State.STOPPED) {
            fresh.close();
            return;
        }
        fresh.start();
        fresh.publish(PeerStatus.RUNNING);
        LOG.info("node {}: gossip restarted with the current TLS files", name);
    }

    /** What this node's gossip layer sees now (itself included); empty without gossip. */
    List<GossipPeer> gossipMembers() {
        Gossip g = gossip;
        return g == null ? List.of() : g.members();
    }

    /** The status of this node and its cluster; asks the local etcd (bounded by a few seconds). */
    public ManagerStatus status() {
        Client c = localClient;
        List<ManagerStatus.Member> members = new ArrayList<>();
        boolean healthy = false;
        EtcdServer s = etcd;
        if (c != null && s != null && s.isRunning()) {
            try {
                StatusResponse st = EtcdClients.await(
                        c.getMaintenanceClient().statusMember(config.clientUrl().toString()), CALL_TIMEOUT, "status");
                long leader = st.getLeader();
                for (EtcdMember m : memberList(c)) {
                    ManagerStatus.Role role = m.learner()
                            ? ManagerStatus.Role.LEARNER
                            : m.id() == leader ? ManagerStatus.Role.LEADER : ManagerStatus.Role.FOLLOWER;
                    members.add(new ManagerStatus.Member(m.hexId(), m.name(), role, m.peerUrls(), m.clientUrls()));
                }
                healthy = leader != 0 && state.get() == State.RUNNING;
            } catch (IOException e) {
                LOG.debug("status failed: {}", e.getMessage());
            }
        }
        return new ManagerStatus(
                name,
                state.get(),
                healthy,
                config.requiredClusterSize(),
                members,
                Optional.ofNullable(lastSnapshot.get()),
                Optional.ofNullable(lastSnapshotName.get()),
                snapshotFailures.get(),
                removedMembers.get());
    }

    /** Why the manager failed, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    /**
     * Blocks until the manager stops: {@link #close()} was called or etcd exited unexpectedly.
     *
     * @throws InterruptedException when interrupted
     */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Stops the HTTP endpoint, the background tasks, etcd and gossip, in that order. Idempotent. */
    @Override
    public void close() {
        State before = state.getAndSet(State.STOPPED);
        if (before == State.STOPPED) {
            return;
        }
        closeQuietly();
    }

    private void closeQuietly() {
        StatusHttpServer h = http;
        if (h != null) {
            h.close();
        }
        ScheduledExecutorService ses = background;
        if (ses != null) {
            ses.shutdownNow();
        }
        Client c = localClient;
        localClient = null;
        if (c != null) {
            c.close();
        }
        EtcdServer s = etcd;
        if (s != null) {
            s.close();
        }
        if (gossip != null) {
            gossip.close();
        }
        terminated.countDown();
    }

    static List<EtcdMember> memberList(Client c) throws IOException {
        List<Member> list = EtcdClients.await(c.getClusterClient().listMember(), CALL_TIMEOUT, "member list")
                .getMembers();
        List<EtcdMember> out = new ArrayList<>();
        for (Member m : list) {
            out.add(new EtcdMember(
                    m.getId(),
                    m.getName() == null ? "" : m.getName(),
                    m.getPeerURIs(),
                    m.getClientURIs(),
                    m.isLearner()));
        }
        return out;
    }

    private static void removeMember(Client c, long id) throws IOException {
        try {
            EtcdClients.await(
                    c.getClusterClient().removeMember(id), CALL_TIMEOUT, "member remove " + Long.toHexString(id));
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (!m.contains("member not found") && !m.contains("ID removed")) {
                throw e;
            }
        }
    }

    private void pause(Duration d) {
        try {
            if (terminated.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ManagerException("the manager was closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerException("interrupted", e);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Builds an {@link EtcdManager}. */
    public static final class Builder {
        private final ManagerConfig config;
        private @Nullable Gossip gossip;
        private @Nullable Supplier<? extends Gossip> gossipFactory;
        private @Nullable SnapshotBackups backups;
        private Clock clock = Clock.systemUTC();
        private @Nullable String name;

        private Builder(ManagerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The gossip layer (required for a cluster size above 1; the manager closes it). */
        public Builder gossip(@Nullable Gossip gossip) {
            this.gossip = gossip;
            return this;
        }

        /**
         * The gossip layer, made by {@code factory} at build time and again by {@link
         * EtcdManager#restartEtcd()} (the manager closes each), so that a restart in place also puts the
         * renewed peer certificate and CA file into gossip TLS, e.g. {@code () -> Gossip.membership(config,
         * name, key)}. Use instead of {@link #gossip(Gossip)}.
         */
        public Builder gossipFactory(@Nullable Supplier<? extends Gossip> factory) {
            this.gossipFactory = factory;
            return this;
        }

        /** The snapshot store; none means no snapshots and no restores. */
        public Builder snapshots(@Nullable SnapshotBackups backups) {
            this.backups = backups;
            return this;
        }

        /** The clock of every timeout and timestamp. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Uses an already resolved name (e.g. to create the gossip layer with it first, see {@link
         * #resolveName(ManagerConfig)}).
         */
        public Builder resolvedName(@Nullable String name) {
            this.name = name;
            return this;
        }

        public EtcdManager build() {
            return new EtcdManager(this);
        }
    }

    /**
     * The name a manager of {@code config} uses: configured, else read back from the data dir (e2d's
     * node file, else etcd's member list: the member with this node's peer URL), else a new one (not
     * yet written; the manager writes it when it starts).
     */
    public static String resolveName(ManagerConfig config) {
        return NodeFile.resolveName(config.name(), config.dataDir(), config.peerUrl());
    }
}
