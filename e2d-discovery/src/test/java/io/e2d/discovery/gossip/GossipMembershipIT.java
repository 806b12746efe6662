package io.e2d.discovery.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atomix.cluster.AtomixCluster;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.utils.net.Address;
import io.e2d.discovery.PeerAddress;
import io.e2d.testkit.FreePorts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several memberships in this JVM on 127.0.0.1: metadata, updates, authentication. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GossipMembershipIT {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Membership node(String name, byte[] key, PeerAddress... seeds) {
        int port = FreePorts.tcpAndUdp();
        Membership m = Membership.create(MembershipConfig.builder()
                .name(name)
                .gossipAddress(new PeerAddress("127.0.0.1", port))
                .clientUrl("http://127.0.0.1:" + port + "/client")
                .peerUrl("http://127.0.0.1:" + port + "/peer")
                .requiredClusterSize(3)
                .version("test")
                .seeds(List.of(seeds))
                .authenticationKey(key)
                .build());
        open.add(m);
        m.start();
        return m;
    }

    private static PeerAddress addr(Membership m) {
        return PeerAddress.parse(m.local().gossipAddress(), 1);
    }

    private static List<String> names(Membership m) {
        return m.members().stream().map(GossipMember::name).toList();
    }

    @Test
    void membersSeeEachOtherWithMetadataAndStatusUpdates() {
        Membership a = node("a", KEY);
        Membership b = node("b", KEY, addr(a));
        Membership c = node("c", KEY, addr(b));
        List<String> events = new CopyOnWriteArrayList<>();
        a.addListener(new MembershipListener() {
            @Override
            public void onUpdate(GossipMember member) {
                events.add("update " + member.name() + " " + member.metadata().status());
            }
        });

        for (Membership m : List.of(a, b, c)) {
            await().atMost(WAIT).until(() -> names(m).equals(List.of("a", "b", "c")));
        }
        GossipMember cSeenByA = a.members().get(2);
        assertThat(cSeenByA.local()).isFalse();
        assertThat(cSeenByA.reachable()).isTrue();
        assertThat(cSeenByA.metadata()).isEqualTo(c.local());
        assertThat(cSeenByA.metadata().clientUrl()).endsWith("/client");

        c.updateStatus(NodeStatus.PENDING);
        c.updateStatus(NodeStatus.RUNNING);

        await().atMost(WAIT)
                .until(() -> b.members().get(2).metadata().status() == NodeStatus.RUNNING
                        && a.members().get(2).metadata().status() == NodeStatus.RUNNING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(events).contains("update c RUNNING"));
    }

    @Test
    void unsignedWrongKeyAndForgedMembersAreIgnored() throws Exception {
        Membership a = node("a", KEY);
        Membership b = node("b", KEY, addr(a));
        // Each stranger contacts both signed nodes itself, as an attacker would: whether SWIM's random gossip
        // carries a stranger from one signed node to the other within the wait is not what this test is about.
        Membership unsigned = node("unsigned", null, addr(a), addr(b));
        Membership stranger = node("stranger", OTHER_KEY, addr(a), addr(b));
        // A raw atomix node that copies b's signed metadata but gossips from another address under its name.
        int port = FreePorts.tcpAndUdp();
        String copied = b.local().gossipAddress();
        AtomixCluster forged = AtomixCluster.builder()
                .withClusterId("e2d")
                .withMemberId("forged")
                .withAddress(Address.from("127.0.0.1", port))
                .withProperty(
                        MetadataCodec.PROPERTY,
                        new MetadataCodec(KEY)
                                .encode(new NodeMetadata("b", "x", "y", copied, NodeStatus.RUNNING, 3, "test")))
                .withMembershipProtocol(SwimMembershipProtocol.builder().build())
                .withMembershipProvider(io.atomix.cluster.discovery.BootstrapDiscoveryProvider.builder()
                        .withNodes(
                                io.atomix.cluster.Node.builder()
                                        .withAddress(Address.from("127.0.0.1", addr(a).port()))
                                        .build(),
                                io.atomix.cluster.Node.builder()
                                        .withAddress(Address.from("127.0.0.1", addr(b).port()))
                                        .build())
                        .build())
                .build();
        forged.start().get(30, TimeUnit.SECONDS);
        open.add(() -> forged.stop().get(30, TimeUnit.SECONDS));
        List<String> joins = new CopyOnWriteArrayList<>();
        b.addListener(new MembershipListener() {
            @Override
            public void onJoin(GossipMember member) {
                joins.add(member.name());
            }
        });

        // The strangers do reach the SWIM layer of the signed nodes, which look at their metadata and refuse it...
        for (Membership signed : List.of(a, b)) {
            await().atMost(WAIT).until(() -> ((AtomixMembership) signed)
                    .rejectedIds()
                    .containsAll(List.of("unsigned", "stranger", "forged")));
        }
        // ...but never the membership of a signed node.
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> names(a).equals(List.of("a", "b")) && names(b).equals(List.of("a", "b")));
        assertThat(joins).doesNotContain("unsigned", "stranger", "forged", "b");
        // A node without the key accepts everyone whose metadata is well-formed, except the name thief.
        await().atMost(WAIT).until(() -> names(unsigned).containsAll(List.of("a", "b", "stranger", "unsigned")));
        assertThat(names(unsigned)).doesNotContain("forged");
    }
}
