package io.e2d.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.core.manager.StartupDecision.Bootstrap;
import io.e2d.core.manager.StartupDecision.JoinAsLearner;
import io.e2d.core.manager.StartupDecision.PublishPending;
import io.e2d.core.manager.StartupDecision.Refuse;
import io.e2d.core.manager.StartupDecision.RestartMember;
import io.e2d.core.manager.StartupDecision.Restore;
import io.e2d.core.manager.StartupDecision.ResumeFromData;
import io.e2d.core.manager.StartupDecision.SnapshotState;
import io.e2d.core.manager.StartupDecision.StartNew;
import io.e2d.core.manager.StartupDecision.View;
import io.e2d.core.manager.StartupDecision.Wait;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StartupDecisionTest {
    static URI peer(int i) {
        return URI.create("http://10.0.0." + i + ":2380");
    }

    static GossipPeer node(String name, int i, PeerStatus status, boolean local) {
        return new GossipPeer(name, URI.create("http://10.0.0." + i + ":2379"), peer(i), status, true, local);
    }

    static EtcdMember member(long id, String name, int i, boolean learner) {
        return new EtcdMember(id, name, List.of(peer(i)), List.of(URI.create("http://10.0.0." + i + ":2379")), learner);
    }

    static View view(List<GossipPeer> gossip, Optional<List<EtcdMember>> members, boolean hasData) {
        return new View("n1", peer(1), 3, gossip, members, hasData);
    }

    final GossipPeer self = node("n1", 1, PeerStatus.UNKNOWN, true);
    final GossipPeer selfPending = node("n1", 1, PeerStatus.PENDING, true);

    @Test
    void alone_publishesPending() {
        assertThat(StartupDecision.decide(view(List.of(self), Optional.empty(), false)))
                .isEqualTo(new PublishPending(1, 3));
    }

    @Test
    void threePendingIncludingSelf_bootstrapsWithSortedPeers() {
        var a = StartupDecision.decide(view(
                List.of(
                        node("n3", 3, PeerStatus.PENDING, false),
                        selfPending,
                        node("n2", 2, PeerStatus.PENDING, false)),
                Optional.empty(),
                false));
        assertThat(a).isInstanceOf(Bootstrap.class);
        assertThat(((Bootstrap) a).initialCluster())
                .containsExactly(
                        java.util.Map.entry("n1", peer(1)),
                        java.util.Map.entry("n2", peer(2)),
                        java.util.Map.entry("n3", peer(3)));
    }

    @Test
    void selfNotYetPublishedPending_publishesFirst() {
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.PENDING, false), node("n3", 3, PeerStatus.PENDING, false)),
                Optional.empty(),
                false));
        assertThat(a).isInstanceOf(PublishPending.class);
    }

    @Test
    void unreachablePendingPeer_doesNotCount() {
        GossipPeer suspect =
                new GossipPeer("n3", URI.create("http://10.0.0.3:2379"), peer(3), PeerStatus.PENDING, false, false);
        var a = StartupDecision.decide(
                view(List.of(selfPending, node("n2", 2, PeerStatus.PENDING, false), suspect), Optional.empty(), false));
        assertThat(a).isEqualTo(new PublishPending(2, 3));
    }

    @Test
    void tooManyPending_waits() {
        var a = StartupDecision.decide(view(
                List.of(
                        selfPending,
                        node("n2", 2, PeerStatus.PENDING, false),
                        node("n3", 3, PeerStatus.PENDING, false),
                        node("n4", 4, PeerStatus.PENDING, false)),
                Optional.empty(),
                false));
        assertThat(a).isInstanceOf(Wait.class);
    }

    @Test
    void dataButNoRunningPeer_resumesAndNeverBootstraps() {
        var a = StartupDecision.decide(view(
                List.of(
                        selfPending,
                        node("n2", 2, PeerStatus.PENDING, false),
                        node("n3", 3, PeerStatus.PENDING, false)),
                Optional.empty(),
                true));
        assertThat(a).isInstanceOf(ResumeFromData.class);
    }

    @Test
    void runningPeerWithoutMemberList_waits() {
        var a = StartupDecision.decide(
                view(List.of(self, node("n2", 2, PeerStatus.RUNNING, false)), Optional.empty(), false));
        assertThat(a).isInstanceOf(Wait.class);
    }

    @Test
    void memberWithDataAndSameName_restartsAsExisting() {
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(member(1, "n1", 1, false), member(2, "n2", 2, false), member(3, "n3", 3, false))),
                true));
        assertThat(a).isInstanceOf(RestartMember.class);
        assertThat(((RestartMember) a).initialCluster()).containsOnlyKeys("n1", "n2", "n3");
    }

    @Test
    void memberWithoutData_isEvictedAndRejoinsAsLearner() {
        EtcdMember old = member(1, "n1", 1, false);
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(old, member(2, "n2", 2, false), member(3, "n3", 3, false))),
                false));
        assertThat(a).isEqualTo(new JoinAsLearner(List.of(old), false, java.util.Map.of("n2", peer(2), "n3", peer(3))));
    }

    @Test
    void addedButNeverStartedMemberWithMyPeerUrl_startsAsIt() {
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(member(1, "", 1, false), member(2, "n2", 2, false), member(3, "n3", 3, false))),
                false));
        assertThat(a).isInstanceOf(RestartMember.class);
        assertThat(((RestartMember) a).initialCluster())
                .containsEntry("n1", peer(1))
                .hasSize(3);
    }

    @Test
    void initialClusterMemberThatNeverStarted_startsAsIt_notEvicted() {
        // the others bootstrapped with this node in the initial cluster before it saw them all pending:
        // etcd lists it with its name but without client URLs
        EtcdMember mine = new EtcdMember(1, "n1", List.of(peer(1)), List.of(), false);
        assertThat(mine.isStarted()).isFalse();
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(mine, member(2, "n2", 2, false), member(3, "n3", 3, false))),
                false));
        assertThat(a).isInstanceOf(RestartMember.class);
        assertThat(((RestartMember) a).initialCluster())
                .containsEntry("n1", peer(1))
                .containsEntry("n2", peer(2))
                .hasSize(3);
        // another node's unstarted initial member makes a newcomer wait, as an added one does
        var b = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(
                        member(2, "n2", 2, false), new EtcdMember(3, "n3", List.of(peer(3)), List.of(), false))),
                false));
        assertThat(b).isInstanceOf(Wait.class);
    }

    @Test
    void newNode_joinsAsLearner() {
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(member(2, "n2", 2, false), member(3, "n3", 3, false))),
                false));
        assertThat(a).isEqualTo(new JoinAsLearner(List.of(), false, java.util.Map.of("n2", peer(2), "n3", peer(3))));
    }

    @Test
    void replacementReusingPeerUrl_evictsOldMember() {
        EtcdMember old = member(9, "old", 1, false);
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(old, member(2, "n2", 2, false), member(3, "n3", 3, false))),
                false));
        assertThat(a).isEqualTo(new JoinAsLearner(List.of(old), false, java.util.Map.of("n2", peer(2), "n3", peer(3))));
    }

    @Test
    void removedMemberWithStaleData_movesDataAsideAndJoins() {
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(member(2, "n2", 2, false), member(3, "n3", 3, false))),
                true));
        assertThat(a).isInstanceOf(JoinAsLearner.class);
        assertThat(((JoinAsLearner) a).discardLocalData()).isTrue();
    }

    @Test
    void anotherLearnerCatchingUp_waits() {
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(member(2, "n2", 2, false), member(3, "n3", 3, false), member(4, "n4", 4, true))),
                false));
        assertThat(a).isInstanceOf(Wait.class);
        assertThat(((Wait) a).reason()).contains("one learner at a time");
    }

    @Test
    void anotherUnstartedMember_waits() {
        var a = StartupDecision.decide(view(
                List.of(self, node("n2", 2, PeerStatus.RUNNING, false)),
                Optional.of(List.of(member(2, "n2", 2, false), member(3, "", 3, false))),
                false));
        assertThat(a).isInstanceOf(Wait.class);
    }

    @Test
    void bootstrap_choosesBetweenNewRestoreAndRefuse() {
        assertThat(StartupDecision.bootstrap(SnapshotState.none())).isEqualTo(new StartNew());
        assertThat(StartupDecision.bootstrap(new SnapshotState(true, Optional.empty(), 0)))
                .isEqualTo(new StartNew());
        assertThat(StartupDecision.bootstrap(new SnapshotState(true, Optional.of("s1"), 2)))
                .isEqualTo(new Restore("s1"));
        var refuse = StartupDecision.bootstrap(new SnapshotState(true, Optional.empty(), 3));
        assertThat(refuse).isInstanceOf(Refuse.class);
        assertThat(((Refuse) refuse).reason()).contains("3 snapshot(s)").contains("refusing");
    }

    @Test
    void restoreToken_isTheSameForTheSameSnapshotAndPeers_andDiffersOtherwise() {
        var c1 = java.util.Map.of("b", peer(2), "a", peer(1));
        var c2 = new java.util.TreeMap<>(c1);
        assertThat(EtcdManager.restoreToken("s1", c1)).isEqualTo(EtcdManager.restoreToken("s1", c2));
        assertThat(EtcdManager.restoreToken("s1", c1)).isNotEqualTo(EtcdManager.restoreToken("s2", c1));
    }
}
