package io.e2d.discovery.gossip;

import io.atomix.cluster.AtomixCluster;
import io.atomix.cluster.AtomixClusterBuilder;
import io.atomix.cluster.ClusterMembershipEvent;
import io.atomix.cluster.ClusterMembershipEventListener;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.utils.net.Address;
import io.e2d.discovery.PeerAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Membership} on atomix-cluster's SWIM protocol. Our metadata travels as one member property
 * ({@link MetadataCodec#PROPERTY}), so an update is atomic. Members whose property does not verify are kept
 * out of {@link #members()} and of every listener, and logged once per distinct value.
 */
final class AtomixMembership implements Membership {
    private static final Logger LOG = LoggerFactory.getLogger(AtomixMembership.class);
    private static final String CLUSTER_ID = "e2d";
    private static final int MAX_REMEMBERED_REJECTIONS = 1024;

    private static final String HEARTBEAT = "e2d-heartbeat";
    private static final byte[] NO_REPLY = new byte[0];
    private static final AtomicInteger THREADS = new AtomicInteger();

    private record View(NodeMetadata metadata, boolean reachable) {}

    /** Last heartbeat per member name: highest sequence and when it arrived (System.nanoTime). */
    private record Heard(long sequence, long atNanos) {}

    private final MembershipConfig config;
    private final MetadataCodec codec;
    private final SeedDiscoveryProvider seeds;
    private final AtomixCluster cluster;
    private final @Nullable GossipKeyStores keyStores;
    private final boolean tls;
    private final Map<String, View> views = new ConcurrentHashMap<>();
    private final Set<String> loggedRejections = ConcurrentHashMap.newKeySet();
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final ClusterMembershipEventListener atomixListener = this::onEvent;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object lock = new Object();
    private final Map<String, Heard> heard = new ConcurrentHashMap<>();
    /** Per member address, the last heartbeat given to atomix's pooled connection (see sendHeartbeat). */
    private final Map<Address, CompletableFuture<Void>> pooledHeartbeats = new ConcurrentHashMap<>();
    /** Answers with an empty reply, so that a heartbeat sent with sendAndReceive ends its connection at once. */
    private final BiFunction<Address, byte[], byte[]> heartbeatHandler = (from, payload) -> {
        onHeartbeat(from, payload);
        return NO_REPLY;
    };

    private final AtomicLong heartbeatSequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final long suspectAfterNanos;
    private final long removeAfterNanos;
    private final ScheduledExecutorService watchdog;
    private volatile NodeMetadata local;

    AtomixMembership(MembershipConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.codec = new MetadataCodec(config.authenticationKey().orElse(null));
        PeerAddress advertised = advertised(config.gossipAddress());
        this.local = new NodeMetadata(
                config.name(),
                config.clientUrl(),
                config.peerUrl(),
                advertised.toString(),
                NodeStatus.UNKNOWN,
                config.requiredClusterSize(),
                config.version());
        Address self = Address.from(advertised.host(), advertised.port());
        this.seeds = new SeedDiscoveryProvider(self);
        this.tls = config.tls().isPresent();
        this.keyStores = config.tls()
                .map(tls -> GossipKeyStores.write(tls, advertised.host()))
                .orElse(null);
        AtomixClusterBuilder builder = AtomixCluster.builder()
                .withClusterId(CLUSTER_ID)
                .withMemberId(config.name())
                .withAddress(self)
                .withMessagingInterface(advertised.host())
                .withMessagingPort(advertised.port())
                .withProperty(MetadataCodec.PROPERTY, codec.encode(local))
                .withMembershipProvider(seeds)
                .withMembershipProtocol(SwimMembershipProtocol.builder()
                        .withProbeInterval(config.probeInterval())
                        .withGossipInterval(config.gossipInterval())
                        .withFailureTimeout(config.failureTimeout())
                        .withSuspectProbes(config.suspectProbes())
                        .withBroadcastUpdates(true)
                        .withBroadcastDisputes(true)
                        .withNotifySuspect(true)
                        .build());
        if (keyStores != null) {
            // atomix's NettyMessagingService requires client certificates (ClientAuth.REQUIRE) and trusts only
            // the trust store; netty 4.2 clients also check the server's name against the dialled host.
            builder.withTlsEnabled(true)
                    .withKeyStore(keyStores.keyStore().toString())
                    .withKeyStorePassword(keyStores.password())
                    .withTrustStore(keyStores.trustStore().toString())
                    .withTrustStorePassword(keyStores.password());
        }
        try {
            this.cluster = builder.build();
        } catch (RuntimeException e) {
            if (keyStores != null) {
                keyStores.close();
            }
            throw new MembershipException("cannot set up gossip for " + config.name() + ": " + e, e);
        }
        seeds.memberAddresses(() -> cluster.getMembershipService().getMembers().stream()
                .map(Member::address)
                .collect(Collectors.toUnmodifiableSet()));
        this.suspectAfterNanos = config.silenceTimeout().toNanos();
        this.removeAfterNanos = suspectAfterNanos + config.failureTimeout().toNanos();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "e2d-gossip-watchdog-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Go e2d's rule: a wildcard gossip host becomes this host's first non-loopback IPv4. */
    private static PeerAddress advertised(PeerAddress bind) {
        if (!bind.host().equals("0.0.0.0")) {
            return bind;
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return new PeerAddress(a.getHostAddress(), bind.port());
                    }
                }
            }
        } catch (SocketException e) {
            throw new MembershipException(
                    "cannot list network interfaces to resolve --gossip-addr " + bind
                            + "; give an explicit IP instead of 0.0.0.0",
                    e);
        }
        throw new MembershipException("--gossip-addr " + bind + " needs a non-loopback IPv4 address on this host,"
                + " found none; give an explicit IP instead of 0.0.0.0");
    }

    @Override
    public void start() {
        if (closed.get()) {
            throw new MembershipException("membership of " + config.name() + " is closed; create a new one");
        }
        if (!started.compareAndSet(false, true)) {
            throw new MembershipException("membership of " + config.name() + " was already started");
        }
        cluster.getMembershipService().addListener(atomixListener);
        try {
            cluster.start().get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MembershipException("interrupted while starting gossip on " + local.gossipAddress(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            close();
            throw new MembershipException(
                    "cannot start gossip on " + local.gossipAddress() + " (" + cause
                            + "); check that the address is on this host and the port is free, or change --gossip-addr",
                    cause);
        }
        if (keyStores != null) {
            // atomix read both stores when its messaging service started: no reason to keep them on disk.
            keyStores.close();
        }
        cluster.getMessagingService().registerHandler(HEARTBEAT, heartbeatHandler, watchdog);
        long period = config.probeInterval().toMillis();
        watchdog.scheduleAtFixedRate(this::heartbeatAndCheck, period, period, TimeUnit.MILLISECONDS);
        join(config.seeds());
        LOG.info(
                "gossip started: {} on {} ({} metadata, {})",
                config.name(),
                local.gossipAddress(),
                codec.isAuthenticated() ? "authenticated" : "unauthenticated",
                keyStores != null ? "mutual TLS on TCP" : "plain TCP");
    }

    @Override
    public void join(Collection<PeerAddress> addresses) {
        List<Address> list = new ArrayList<>();
        for (PeerAddress a : addresses) {
            list.add(Address.from(a.host(), a.port()));
        }
        seeds.add(list);
    }

    @Override
    public NodeMetadata local() {
        return local;
    }

    @Override
    public void update(NodeMetadata metadata) {
        Objects.requireNonNull(metadata, "metadata");
        synchronized (lock) {
            if (!metadata.name().equals(local.name())
                    || !metadata.gossipAddress().equals(local.gossipAddress())) {
                throw new IllegalArgumentException("local metadata must keep name " + local.name()
                        + " and gossip address " + local.gossipAddress() + ", got " + metadata.name() + " at "
                        + metadata.gossipAddress());
            }
            local = metadata;
            // One property, replaced in one call: peers never see half an update.
            cluster.getMembershipService()
                    .getLocalMember()
                    .properties()
                    .setProperty(MetadataCodec.PROPERTY, codec.encode(metadata));
        }
    }

    @Override
    public void updateStatus(NodeStatus status) {
        synchronized (lock) {
            update(local.withStatus(status));
        }
    }

    @Override
    public List<GossipMember> members() {
        List<GossipMember> out = new ArrayList<>();
        out.add(new GossipMember(local, true, true));
        views.values().forEach(v -> out.add(new GossipMember(v.metadata(), v.reachable(), false)));
        out.sort(Comparator.comparing(GossipMember::name));
        return List.copyOf(out);
    }

    @Override
    public Registration addListener(MembershipListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void onEvent(ClusterMembershipEvent event) {
        Member member = event.subject();
        String id = member.id().id();
        if (id.equals(config.name())) {
            return;
        }
        synchronized (lock) {
            switch (event.type()) {
                case MEMBER_ADDED, METADATA_CHANGED -> accept(member);
                case REACHABILITY_CHANGED -> {
                    View old = views.get(id);
                    boolean reachable = isReachable(member);
                    if (old == null) {
                        accept(member);
                    } else if (old.reachable() != reachable) {
                        View now = new View(old.metadata(), reachable);
                        views.put(id, now);
                        fire(now, reachable ? MembershipListener::onUpdate : MembershipListener::onSuspect);
                    }
                }
                case MEMBER_REMOVED -> {
                    View old = views.remove(id);
                    if (old != null) {
                        fire(new View(old.metadata(), false), MembershipListener::onLeave);
                    }
                }
            }
        }
    }

    private void accept(Member member) {
        String id = member.id().id();
        String property = member.properties().getProperty(MetadataCodec.PROPERTY);
        PeerAddress address =
                new PeerAddress(member.address().host(), member.address().port());
        MetadataCodec.Verdict verdict = codec.decode(id, address, property);
        if (verdict.metadata().isEmpty()) {
            reject(id, address, property, verdict.problem());
            return;
        }
        View now = new View(verdict.metadata().get(), isReachable(member));
        Heard last = heard.get(id);
        if (tls && !views.containsKey(id) && (last == null || last.sequence() == Long.MIN_VALUE)) {
            // With TLS, SWIM can still learn of a node through its unencrypted UDP gossip (module README). A
            // member counts only once one of its heartbeats has come over the mutual-TLS channel, which a node
            // without a certificate from the cluster CA cannot open; onHeartbeat takes it in then.
            return;
        }
        if (!views.containsKey(id) && last != null && System.nanoTime() - last.atNanos() > suspectAfterNanos) {
            // Reported gone by the watchdog and still silent: SWIM news about it does not bring it back,
            // its next heartbeat does.
            return;
        }
        View old = views.put(id, now);
        if (old == null) {
            // A member starts with a full silence budget: the watchdog counts from here.
            heard.merge(
                    id, new Heard(Long.MIN_VALUE, System.nanoTime()), (a, b) -> new Heard(a.sequence(), b.atNanos()));
            fire(now, MembershipListener::onJoin);
        } else if (!old.equals(now)) {
            fire(now, MembershipListener::onUpdate);
        }
    }

    /**
     * SWIM alone does not notice a process that hangs with its sockets open: atomix probes over new
     * connections whose handshake then never completes, so a probe fails only once the hung process's accept
     * backlog is full (30 s or more here). So every node also sends each member a small heartbeat per probe
     * interval, over atomix's pooled TCP connections (small UDP datagrams would shrink netty 4.2's adaptive
     * datagram buffer until SWIM's larger gossip datagrams get truncated), or one of its own while the pooled
     * one is stuck ({@link #sendHeartbeat}); a member silent for {@link MembershipConfig#silenceTimeout()} is reported suspect and,
     * after the failure timeout more, gone. Its next heartbeat brings it back.
     */
    private void heartbeatAndCheck() {
        try {
            NodeMetadata me = local;
            byte[] beat = codec.heartbeat(me.name(), me.gossipAddress(), heartbeatSequence.incrementAndGet());
            // To every SWIM member, verified or not: a node whose view differs from ours (no key) still
            // hears us and does not take us for hung.
            Set<Address> addresses = new HashSet<>();
            for (Member m : cluster.getMembershipService().getMembers()) {
                if (!m.id().id().equals(me.name())) {
                    addresses.add(m.address());
                    sendHeartbeat(m.address(), beat);
                }
            }
            // a pending one stays: atomix's connection it waits for may be stuck for good
            pooledHeartbeats
                    .entrySet()
                    .removeIf(
                            e -> !addresses.contains(e.getKey()) && e.getValue().isDone());
            long now = System.nanoTime();
            synchronized (lock) {
                for (Map.Entry<String, View> e : List.copyOf(views.entrySet())) {
                    Heard h = heard.get(e.getKey());
                    long silent = h == null ? 0 : now - h.atNanos();
                    View v = e.getValue();
                    if (silent > removeAfterNanos) {
                        views.remove(e.getKey());
                        LOG.info("gossip: {} silent for {} ms, reported gone", e.getKey(), silent / 1_000_000);
                        fire(new View(v.metadata(), false), MembershipListener::onLeave);
                    } else if (silent > suspectAfterNanos && v.reachable()) {
                        View suspect = new View(v.metadata(), false);
                        views.put(e.getKey(), suspect);
                        fire(suspect, MembershipListener::onSuspect);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("gossip: heartbeat round failed", e);
        }
    }

    /**
     * Over atomix's pooled connection to {@code to}, unless the heartbeat given to it last round is still not
     * sent: atomix 3.1.12 completes a new pooled connection only once the peer answers its protocol handshake,
     * and does not notice when the peer closes the connection before that (as a node does whose gossip is
     * closing while we dial it, e.g. one restarting at the same address). That connection then stays pending
     * for good, and with it every later message of that type to that address: the node would never hear our
     * heartbeats again, even once restarted, and with TLS never count us. Such heartbeats go over a
     * connection of their own instead, which atomix closes once the (empty) reply is in.
     */
    private void sendHeartbeat(Address to, byte[] beat) {
        CompletableFuture<Void> last = pooledHeartbeats.get(to);
        if (last != null && !last.isDone()) {
            // sendAsync ignores keepAlive in atomix 3.1.12; sendAndReceive honours it
            cluster.getMessagingService().sendAndReceive(to, HEARTBEAT, beat, false, config.silenceTimeout());
        } else {
            pooledHeartbeats.put(to, cluster.getMessagingService().sendAsync(to, HEARTBEAT, beat));
        }
    }

    private void onHeartbeat(Address connection, byte[] payload) {
        // The connection's address is the sender's ephemeral port; the gossip address is in the (signed) payload.
        Optional<MetadataCodec.Heartbeat> beat = codec.heartbeat(payload);
        if (beat.isEmpty()) {
            return;
        }
        String name = beat.get().name();
        long sequence = beat.get().sequence();
        Address from =
                Address.from(beat.get().address().host(), beat.get().address().port());
        View known = views.get(name);
        if (known != null
                && !known.metadata().gossipAddress().equals(beat.get().address().toString())) {
            return; // not from the address this member's verified metadata names
        }
        Heard before = heard.get(name);
        if (before != null && sequence <= before.sequence()) {
            return; // replayed or reordered
        }
        heard.put(name, new Heard(sequence, System.nanoTime()));
        synchronized (lock) {
            View v = views.get(name);
            if (v == null) {
                // New over TLS, or back after the watchdog reported it gone while SWIM kept it: take it in.
                Member member = cluster.getMembershipService().getMember(MemberId.from(name));
                if (member != null && member.address().equals(from) && member.isReachable()) {
                    accept(member);
                }
            } else if (!v.reachable() && isReachable(v.metadata())) {
                View now = new View(v.metadata(), true);
                views.put(name, now);
                fire(now, MembershipListener::onUpdate);
            }
        }
    }

    private boolean isReachable(NodeMetadata metadata) {
        Member live = cluster.getMembershipService().getMember(MemberId.from(metadata.name()));
        return live != null && live.isReachable();
    }

    /**
     * The member's reachability now. Event subjects are snapshots that do not carry it (their
     * {@code isReachable()} is always false), so ask the protocol's live member.
     */
    private boolean isReachable(Member member) {
        Member live = cluster.getMembershipService().getMember(member.id());
        return live != null && live.isReachable();
    }

    /** Where atomix's key stores are while they exist (for tests). */
    Optional<java.nio.file.Path> keyStoreDirectory() {
        return Optional.ofNullable(keyStores).map(k -> k.keyStore().getParent());
    }

    /** Ids of the members this node has refused because their metadata did not verify (for tests). */
    Set<String> rejectedIds() {
        return loggedRejections.stream()
                .map(r -> r.substring(0, r.indexOf('|')))
                .collect(Collectors.toUnmodifiableSet());
    }

    private void reject(String id, PeerAddress address, String property, String problem) {
        if (loggedRejections.size() > MAX_REMEMBERED_REJECTIONS) {
            loggedRejections.clear();
        }
        if (loggedRejections.add(id + "|" + address + "|" + property)) {
            LOG.warn(
                    "gossip: ignoring member '{}' at {}: {}; it is not counted and cannot change the etcd cluster",
                    id,
                    address,
                    problem);
        }
    }

    private void fire(View view, BiConsumer<MembershipListener, GossipMember> call) {
        GossipMember member = new GossipMember(view.metadata(), view.reachable(), false);
        for (MembershipListener l : listeners) {
            try {
                call.accept(l, member);
            } catch (RuntimeException e) {
                LOG.warn("gossip: membership listener {} failed on {}", l, member.name(), e);
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watchdog.shutdownNow();
        if (keyStores != null) {
            keyStores.close();
        }
        if (!started.get()) {
            return;
        }
        cluster.getMembershipService().removeListener(atomixListener);
        cluster.getMessagingService().unregisterHandler(HEARTBEAT);
        try {
            cluster.stop().get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("gossip: stopping {} did not complete cleanly", config.name(), e);
        }
        views.clear();
        LOG.info("gossip stopped: {}", config.name());
    }
}
