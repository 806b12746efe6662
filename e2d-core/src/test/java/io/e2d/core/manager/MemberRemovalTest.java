package io.e2d.core.manager;

import static io.e2d.core.manager.StartupDecisionTest.member;
import static io.e2d.core.manager.StartupDecisionTest.node;
import static io.e2d.core.manager.StartupDecisionTest.peer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MemberRemovalTest {
    static final Duration HCT = Duration.ofSeconds(5);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final List<EtcdMember> members =
            List.of(member(1, "n1", 1, false), member(2, "n2", 2, false), member(3, "n3", 3, false));

    MemberRemoval.Result eval(List<GossipPeer> gossip, Map<Long, Instant> since, Instant now) {
        return MemberRemoval.evaluate("n1", peer(1), 3, members, gossip, since, now, HCT);
    }

    @Test
    void missingMember_isRemovedOnlyAfterTheTimeout() {
        List<GossipPeer> g = List.of(node("n1", 1, PeerStatus.RUNNING, true), node("n2", 2, PeerStatus.RUNNING, false));
        var r1 = eval(g, Map.of(), T0);
        assertThat(r1.removals()).isEmpty();
        assertThat(r1.missingSince()).containsEntry(3L, T0);
        var r2 = eval(g, r1.missingSince(), T0.plus(HCT).minusMillis(1));
        assertThat(r2.removals()).isEmpty();
        var r3 = eval(g, r2.missingSince(), T0.plus(HCT));
        assertThat(r3.removals()).extracting(r -> r.member().name()).containsExactly("n3");
    }

    @Test
    void memberThatComesBack_isForgotten() {
        var r = eval(
                List.of(
                        node("n1", 1, PeerStatus.RUNNING, true),
                        node("n2", 2, PeerStatus.RUNNING, false),
                        node("n3", 3, PeerStatus.RUNNING, false)),
                Map.of(3L, T0),
                T0.plus(HCT.multipliedBy(2)));
        assertThat(r.removals()).isEmpty();
        assertThat(r.missingSince()).isEmpty();
    }

    @Test
    void minority_neverRemovesAndForgets() {
        var r = eval(
                List.of(node("n1", 1, PeerStatus.RUNNING, true)),
                Map.of(2L, T0, 3L, T0),
                T0.plus(HCT.multipliedBy(10)));
        assertThat(r.quorum()).isFalse();
        assertThat(r.removals()).isEmpty();
        assertThat(r.missingSince()).isEmpty();
    }

    @Test
    void suspectedMember_countsAsMissing() {
        GossipPeer suspected =
                new GossipPeer("n3", URI.create("http://10.0.0.3:2379"), peer(3), PeerStatus.RUNNING, false, false);
        var r = eval(
                List.of(node("n1", 1, PeerStatus.RUNNING, true), node("n2", 2, PeerStatus.RUNNING, false), suspected),
                Map.of(3L, T0),
                T0.plus(HCT));
        assertThat(r.removals()).extracting(x -> x.member().name()).containsExactly("n3");
    }

    @Test
    void neverRemovesSelf_evenWhenSelfIsMissingFromGossip() {
        var r = eval(
                List.of(node("n2", 2, PeerStatus.RUNNING, false), node("n3", 3, PeerStatus.RUNNING, false)),
                Map.of(1L, T0),
                T0.plus(HCT.multipliedBy(3)));
        assertThat(r.removals()).isEmpty();
    }

    @Test
    void peerUrlReusedByAnotherName_isEvictedAtOnce() {
        var r = eval(
                List.of(
                        node("n1", 1, PeerStatus.RUNNING, true),
                        node("n2", 2, PeerStatus.RUNNING, false),
                        node("n4", 3, PeerStatus.UNKNOWN, false)),
                Map.of(),
                T0);
        assertThat(r.removals()).extracting(x -> x.member().name()).containsExactly("n3");
        assertThat(r.removals().get(0).reason()).contains("n4");
    }

    @Test
    void unstartedMember_isPresentWhileANodeWithItsPeerUrlGossips() {
        List<EtcdMember> withUnstarted =
                List.of(member(1, "n1", 1, false), member(2, "n2", 2, false), member(4, "", 4, true));
        List<GossipPeer> g = List.of(
                node("n1", 1, PeerStatus.RUNNING, true),
                node("n2", 2, PeerStatus.RUNNING, false),
                node("n4", 4, PeerStatus.UNKNOWN, false));
        var r = MemberRemoval.evaluate("n1", peer(1), 3, withUnstarted, g, Map.of(4L, T0), T0.plus(HCT), HCT);
        assertThat(r.removals()).isEmpty();
        var gone = MemberRemoval.evaluate(
                "n1", peer(1), 3, withUnstarted, g.subList(0, 2), Map.of(4L, T0), T0.plus(HCT), HCT);
        assertThat(gone.removals()).extracting(x -> x.member().id()).containsExactly(4L);
    }
}
