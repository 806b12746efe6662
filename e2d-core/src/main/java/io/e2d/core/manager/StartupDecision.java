package io.e2d.core.manager;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The startup decision of a node, as a pure function of what it sees: the gossip members, the
 * membership of a running etcd cluster (when a running node could be asked) and the local data dir.
 * The manager evaluates it every tick until an action starts etcd.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>A reachable node other than this one is {@link PeerStatus#RUNNING}: join its cluster. If this
 *       name is a member and the data dir has data, restart as that member; if the member was added
 *       but never started, start as it; otherwise add this node as a learner (after evicting a stale
 *       member of the same name or one that uses this node's peer URL) and start with {@code
 *       --initial-cluster-state existing}. Data in the data dir of a node that is no longer a member
 *       is moved aside, never deleted.
 *   <li>No running node, and the data dir holds data: start etcd on that data and wait for the old
 *       peers (never restore over it, never bootstrap over it).
 *   <li>No running node, no data: publish {@link PeerStatus#PENDING}; once the required number of
 *       reachable nodes are pending, bootstrap ({@link #bootstrap}): restore the latest verified
 *       snapshot, or start a new cluster. Every node uses the same sorted initial cluster.
 * </ol>
 */
public final class StartupDecision {
    private StartupDecision() {}

    /**
     * What the node sees.
     *
     * @param selfName this node's name
     * @param selfPeerUrl this node's peer URL
     * @param requiredClusterSize the configured cluster size
     * @param gossip every gossip member, this node included
     * @param membership the member list of a running cluster, when a running node answered
     * @param hasData whether the local data dir holds etcd data
     */
    public record View(
            String selfName,
            URI selfPeerUrl,
            int requiredClusterSize,
            List<GossipPeer> gossip,
            Optional<List<EtcdMember>> membership,
            boolean hasData) {
        public View {
            Objects.requireNonNull(selfName, "selfName");
            Objects.requireNonNull(selfPeerUrl, "selfPeerUrl");
            gossip = List.copyOf(gossip);
            membership = membership.map(List::copyOf);
        }

        /** Reachable nodes other than this one that run etcd. */
        public List<GossipPeer> runningPeers() {
            return gossip.stream()
                    .filter(p -> !p.local() && p.reachable() && p.status() == PeerStatus.RUNNING)
                    .toList();
        }
    }

    /** What to do next. */
    public sealed interface Action {}

    /**
     * Nothing yet; look again at the next tick.
     *
     * @param reason why, for the log
     */
    public record Wait(String reason) implements Action {}

    /** Publish {@link PeerStatus#PENDING} and wait for more pending nodes. */
    public record PublishPending(int pending, int required) implements Action {}

    /**
     * Start etcd on the existing data dir with {@code --initial-cluster-state existing} as the member
     * that already carries this name (or this peer URL, for a member added but never started); then
     * promote it when it is still a learner.
     */
    public record RestartMember(Map<String, URI> initialCluster, boolean promote) implements Action {
        public RestartMember {
            initialCluster = Map.copyOf(initialCluster);
        }
    }

    /**
     * Join a running cluster as a learner: remove {@code evict}, move the local data aside when {@code
     * discardLocalData}, add this node as a learner, start with {@code existing}, then promote.
     *
     * @param evict members to remove first (a stale member of this name, or one using this peer URL)
     * @param discardLocalData the data dir holds data of a member that is no longer in the cluster
     * @param otherMembers the members that stay, by name, for the initial cluster
     */
    public record JoinAsLearner(List<EtcdMember> evict, boolean discardLocalData, Map<String, URI> otherMembers)
            implements Action {
        public JoinAsLearner {
            evict = List.copyOf(evict);
            otherMembers = Map.copyOf(otherMembers);
        }
    }

    /** No running node: start etcd on the local data and wait until the old peers are back. */
    public record ResumeFromData() implements Action {}

    /**
     * The required number of nodes are pending: bootstrap with exactly these peers.
     *
     * @param initialCluster name to peer URL, sorted by name (every node computes the same map)
     */
    public record Bootstrap(Map<String, URI> initialCluster) implements Action {
        public Bootstrap {
            initialCluster = java.util.Collections.unmodifiableMap(new TreeMap<>(initialCluster));
        }
    }

    /** Evaluates the rules. */
    public static Action decide(View view) {
        Objects.requireNonNull(view, "view");
        if (!view.runningPeers().isEmpty()) {
            return view.membership()
                    .map(members -> join(view, members))
                    .orElseGet(() -> new Wait("running nodes "
                            + view.runningPeers().stream().map(GossipPeer::name).toList()
                            + " did not answer a member list yet"));
        }
        if (view.hasData()) {
            return new ResumeFromData();
        }
        List<GossipPeer> pending = view.gossip().stream()
                .filter(p -> p.reachable() && (p.local() || p.status() == PeerStatus.PENDING))
                .toList();
        int required = view.requiredClusterSize();
        if (pending.size() < required) {
            return new PublishPending(pending.size(), required);
        }
        if (pending.size() > required) {
            return new Wait(pending.size() + " nodes are pending but the cluster size is " + required
                    + ": remove the extra node or start every node with the same -n");
        }
        boolean selfPublished = view.gossip().stream().anyMatch(p -> p.local() && p.status() == PeerStatus.PENDING);
        if (!selfPublished) {
            return new PublishPending(pending.size(), required);
        }
        Map<String, URI> cluster = new TreeMap<>();
        for (GossipPeer p : pending) {
            if (cluster.put(p.name(), p.peerUrl()) != null) {
                return new Wait("two pending nodes share the name " + p.name());
            }
        }
        return new Bootstrap(cluster);
    }

    private static Action join(View view, List<EtcdMember> members) {
        String self = view.selfName();
        URI peerUrl = view.selfPeerUrl();
        Optional<EtcdMember> byName =
                members.stream().filter(m -> m.name().equals(self)).findFirst();
        Optional<EtcdMember> unstartedSelf = members.stream()
                .filter(m -> !m.isStarted() && m.hasPeerUrl(peerUrl))
                .findFirst();
        if (byName.isPresent() && byName.get().hasPeerUrl(peerUrl) && view.hasData()) {
            return new RestartMember(
                    initialCluster(members, self, peerUrl), byName.get().learner());
        }
        // an added member that never started has no name; one of the initial cluster has ours
        if (unstartedSelf.isPresent() && (byName.isEmpty() || byName.get().equals(unstartedSelf.get()))) {
            if (view.hasData()) {
                // Our data belongs to another member id: never start it as this one.
                return new JoinAsLearner(
                        List.of(unstartedSelf.get()), true, otherMembers(members, List.of(unstartedSelf.get())));
            }
            return new RestartMember(
                    initialCluster(members, self, peerUrl), unstartedSelf.get().learner());
        }
        List<EtcdMember> evict = new ArrayList<>();
        byName.ifPresent(evict::add);
        members.stream()
                .filter(m -> m.hasPeerUrl(peerUrl) && !evict.contains(m))
                .forEach(evict::add);
        List<EtcdMember> staying =
                members.stream().filter(m -> !evict.contains(m)).toList();
        Optional<EtcdMember> learner =
                staying.stream().filter(EtcdMember::learner).findFirst();
        if (learner.isPresent()) {
            return new Wait("member " + describe(learner.get())
                    + " is a learner catching up; etcd allows one learner at a time");
        }
        Optional<EtcdMember> unstarted =
                staying.stream().filter(m -> !m.isStarted()).findFirst();
        if (unstarted.isPresent()) {
            return new Wait("member " + describe(unstarted.get()) + " was added but has not started yet");
        }
        return new JoinAsLearner(evict, view.hasData(), otherMembers(members, evict));
    }

    private static Map<String, URI> otherMembers(List<EtcdMember> members, List<EtcdMember> evict) {
        Map<String, URI> others = new LinkedHashMap<>();
        members.stream()
                .filter(m ->
                        !evict.contains(m) && m.isStarted() && !m.peerUrls().isEmpty())
                .sorted(Comparator.comparing(EtcdMember::name))
                .forEach(m -> others.put(m.name(), m.peerUrls().get(0)));
        return others;
    }

    private static Map<String, URI> initialCluster(List<EtcdMember> members, String self, URI selfPeerUrl) {
        Map<String, URI> cluster = new TreeMap<>();
        for (EtcdMember m : members) {
            if (m.hasPeerUrl(selfPeerUrl)) {
                cluster.put(self, selfPeerUrl);
            } else if (m.isStarted() && !m.peerUrls().isEmpty()) {
                cluster.put(m.name(), m.peerUrls().get(0));
            } else if (!m.peerUrls().isEmpty()) {
                // etcd only checks the URLs of an existing cluster; name an unstarted member by its id.
                cluster.put("unstarted-" + m.hexId(), m.peerUrls().get(0));
            }
        }
        return cluster;
    }

    private static String describe(EtcdMember m) {
        return (m.isStarted() ? m.name() : "(unstarted)") + " " + m.hexId() + " " + m.peerUrls();
    }

    /**
     * The snapshot situation of a bootstrap.
     *
     * @param configured whether a snapshot store is configured
     * @param latest the newest snapshot that verified, if any
     * @param unverifiable the number of snapshots that exist but could not be read or verified
     */
    public record SnapshotState(boolean configured, Optional<String> latest, int unverifiable) {
        public SnapshotState {
            Objects.requireNonNull(latest, "latest");
        }

        /** No snapshot store. */
        public static SnapshotState none() {
            return new SnapshotState(false, Optional.empty(), 0);
        }
    }

    /** How to bootstrap once {@link Bootstrap} was decided. */
    public sealed interface BootstrapAction {}

    /** Start a new, empty cluster. */
    public record StartNew() implements BootstrapAction {}

    /** Restore this snapshot (every node restores the same one). */
    public record Restore(String snapshot) implements BootstrapAction {}

    /** Refuse to start: starting empty would discard backups. */
    public record Refuse(String reason) implements BootstrapAction {}

    /** Chooses between a new cluster and a restore. */
    public static BootstrapAction bootstrap(SnapshotState snapshots) {
        if (!snapshots.configured()) {
            return new StartNew();
        }
        if (snapshots.latest().isPresent()) {
            return new Restore(snapshots.latest().get());
        }
        if (snapshots.unverifiable() > 0) {
            return new Refuse("the snapshot store holds " + snapshots.unverifiable()
                    + " snapshot(s) but none could be read and verified; refusing to start an empty cluster"
                    + " that would replace them. Check the encryption key (--ca-key) and the store, or move"
                    + " the snapshots away to start empty on purpose");
        }
        return new StartNew();
    }
}
