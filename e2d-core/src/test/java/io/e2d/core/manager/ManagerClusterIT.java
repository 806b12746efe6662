package io.e2d.core.manager;

import static io.e2d.core.manager.TestNode.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e2d.snapshot.Compression;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Go e2d's manager scenarios (spec §7) with real etcd processes, three managers per JVM and an
 * in-JVM gossip network.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ManagerClusterIT {
    @TempDir
    Path root;

    final InMemoryGossipNetwork network = new InMemoryGossipNetwork();
    final List<TestNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(TestNode::close);
    }

    TestNode node(String name, @Nullable SnapshotBackups backups) {
        TestNode n = TestNode.create(name, root, 3, network, backups);
        nodes.add(n);
        return n;
    }

    TestNode track(TestNode n) {
        nodes.add(n);
        return n;
    }

    List<TestNode> startThree(@Nullable SnapshotBackups backups, String... names) {
        List<TestNode> three = new ArrayList<>();
        for (String name : names) {
            three.add(node(name, backups).startAsync());
        }
        three.forEach(TestNode::awaitStarted);
        return three;
    }

    static List<EtcdMember> members(TestNode via) throws Exception {
        try (Client c = via.client()) {
            return EtcdManager.memberList(c);
        }
    }

    static void awaitVoters(TestNode via, String... names) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    List<EtcdMember> m = members(via);
                    assertThat(m).noneMatch(EtcdMember::learner);
                    assertThat(m.stream().map(EtcdMember::name).collect(Collectors.toSet()))
                            .isEqualTo(Set.of(names));
                });
    }

    /**
     * Writes through {@code via}. Right after a member stops, etcd may answer UNAVAILABLE ("request
     * timed out, possibly due to previous leader failure") until a new leader is elected: the write
     * was not acknowledged, so it is retried (it is idempotent). Any other failure fails the test.
     */
    static void put(TestNode via, String key, String value) throws Exception {
        try (Client c = via.client()) {
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsMatching(ManagerClusterIT::isUnavailable)
                    .until(() -> {
                        c.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
                        return true;
                    });
        }
    }

    private static boolean isUnavailable(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x.getMessage() != null && x.getMessage().contains("UNAVAILABLE")) {
                return true;
            }
        }
        return false;
    }

    static @Nullable String get(TestNode via, String key) throws Exception {
        try (Client c = via.client()) {
            var kvs = c.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs();
            return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
        }
    }

    SnapshotBackups fileBackups() throws Exception {
        return fileBackups(Compression.NONE);
    }

    SnapshotBackups fileBackups(Compression compression) throws Exception {
        var store = SnapshotStores.forUri(
                "file://" + root.resolve("backups/etcd.snapshot"), SnapshotStoreOptions.defaults());
        return SnapshotBackups.of(
                SnapshotArchive.builder(store).compression(compression).build());
    }

    @Test
    void nodeLateForTheBootstrap_startsAsItsInitialMember_notAsANewOne() throws Exception {
        TestNode late = node("n1", null);
        // stands in for n1 in gossip, pending, so that n2 and n3 bootstrap with n1 in the initial cluster
        // (as when n1's gossip lags behind: it sees the others only once they run)
        Gossip standIn = network.join("n1", late.clientUrl, late.peerUrl);
        standIn.start();
        standIn.publish(PeerStatus.PENDING);
        List<TestNode> two =
                List.of(node("n2", null).startAsync(), node("n3", null).startAsync());
        two.forEach(TestNode::awaitStarted);
        EtcdMember initial = members(two.get(0)).stream()
                .filter(m -> m.hasPeerUrl(late.peerUrl))
                .findFirst()
                .orElseThrow();
        // etcd names a member of the initial cluster before it starts; no client URLs yet
        assertThat(initial.name()).isEqualTo("n1");
        assertThat(initial.isStarted()).isFalse();
        standIn.close();

        late.startAsync().awaitStarted();
        awaitVoters(two.get(0), "n1", "n2", "n3");
        // the same member, not evicted and added again as a learner
        assertThat(members(two.get(1)))
                .filteredOn(m -> m.name().equals("n1"))
                .extracting(EtcdMember::id)
                .containsExactly(initial.id());
        put(late, "/late", "joined");
        assertThat(get(two.get(1), "/late")).isEqualTo("joined");
    }

    @Test
    void bootstrap_thenKillOne_replacementJoinsAsLearnerAndIsPromoted_noAckedWriteLost() throws Exception {
        List<TestNode> three = startThree(null, "n1", "n2", "n3");
        awaitVoters(three.get(1), "n1", "n2", "n3");
        assertThat(three.get(0).manager().status().members()).hasSize(3);

        // a writer through n2 and n3 while n1 dies and is replaced
        AckedWriter writer = AckedWriter.start(() -> List.of(three.get(1), three.get(2)));

        three.get(0).kill();
        TestNode n4 = track(TestNode.create("n4", root, 3, network, null))
                .startAsync()
                .awaitStarted();
        awaitVoters(three.get(1), "n2", "n3", "n4");
        assertThat(three.get(1).manager().status().removedMembers()
                        + three.get(2).manager().status().removedMembers())
                .isGreaterThanOrEqualTo(1);
        writer.awaitMore(80);
        writer.assertNoAckedWriteLost(n4);
        assertThat(n4.manager().status().healthy()).isTrue();
    }

    @Test
    void restartWithSameName_evenWithoutNameOrNodeFile_rejoinsAsTheSameMember() throws Exception {
        List<TestNode> three = new ArrayList<>();
        for (String name : List.of("n1", "n2", "n3")) {
            TestNode n = node(name, null);
            n.healthCheckTimeout = Duration.ofSeconds(60);
            three.add(n.startAsync());
        }
        three.forEach(TestNode::awaitStarted);
        put(three.get(0), "/k", "before");
        long id = members(three.get(1)).stream()
                .filter(m -> m.name().equals("n1"))
                .findFirst()
                .orElseThrow()
                .id();

        three.get(0).close();
        put(three.get(1), "/k2", "while away");
        // ReadExistingName: no --name and no e2d-node.properties (a Go e2d data dir): the name is read from
        // etcd's member list in the data dir (the member with this node's peer URL)
        Files.delete(three.get(0).dataDir.resolve(NodeFile.FILE_NAME));
        TestNode again = track(three.get(0).again());
        again.nameFlag = false;
        again.startAsync().awaitStarted();
        assertThat(again.manager().name()).isEqualTo("n1");

        awaitVoters(three.get(1), "n1", "n2", "n3");
        assertThat(members(three.get(1)).stream()
                        .filter(m -> m.name().equals("n1"))
                        .findFirst()
                        .orElseThrow()
                        .id())
                .isEqualTo(id);
        assertThat(get(again, "/k2")).isEqualTo("while away");
    }

    @Test
    void replacementReusingThePeerAddress_evictsTheOldMemberAtOnce() throws Exception {
        List<TestNode> three = new ArrayList<>();
        for (String name : List.of("n1", "n2", "n3")) {
            TestNode n = node(name, null);
            n.healthCheckTimeout = Duration.ofMinutes(10); // removal by timeout cannot be what happens
            three.add(n.startAsync());
        }
        three.forEach(TestNode::awaitStarted);
        put(three.get(1), "/k", "v");

        three.get(0).kill();
        TestNode n4 = track(three.get(0).replacement("n4", root)).startAsync().awaitStarted();
        awaitVoters(three.get(1), "n2", "n3", "n4");
        assertThat(get(n4, "/k")).isEqualTo("v");
    }

    @Test
    void fullClusterRestartWithIntactData_losesNothingWrittenAfterTheLastSnapshot() throws Exception {
        SnapshotBackups backups = fileBackups();
        List<TestNode> three = startThree(backups, "n1", "n2", "n3");
        put(three.get(0), "/before-snapshot", "1");
        assertThat(three.stream().filter(n -> n.manager().snapshotNow()).count())
                .isEqualTo(1);
        put(three.get(0), "/after-snapshot", "2");

        three.forEach(TestNode::close);
        List<TestNode> again = new ArrayList<>();
        for (TestNode n : three) {
            again.add(track(n.again()).startAsync());
        }
        again.forEach(TestNode::awaitStarted);

        assertThat(get(again.get(2), "/before-snapshot")).isEqualTo("1");
        assertThat(get(again.get(2), "/after-snapshot")).isEqualTo("2");
        assertThat(get(again.get(2), EtcdManager.SNAPSHOT_MARKER_KEY)).isNull();
    }

    /** Go e2d's RestoreClusterFromSnapshot and RestoreClusterFromSnapshotCompression, plus zstd. */
    @ParameterizedTest
    @EnumSource(Compression.class)
    void allNodesLost_newNodesRestoreTheLatestSnapshot(Compression compression) throws Exception {
        SnapshotBackups backups = fileBackups(compression);
        List<TestNode> three = startThree(backups, "n1", "n2", "n3");
        put(three.get(0), "/kept", "yes");
        put(three.get(0), EtcdManager.VOLATILE_PREFIX + "/volatile", "x");
        assertThat(three.stream().filter(n -> n.manager().snapshotNow()).count())
                .isEqualTo(1);
        three.forEach(TestNode::kill);
        String suffix =
                switch (compression) {
                    case NONE -> ".db";
                    case GZIP -> ".db.gz";
                    case ZSTD -> ".db.zst";
                };
        try (var files = Files.list(root.resolve("backups"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the snapshot was written with %s", compression)
                    .anyMatch(name -> name.endsWith(suffix));
        }

        List<TestNode> fresh = startThree(backups, "n4", "n5", "n6");
        assertThat(get(fresh.get(0), "/kept")).isEqualTo("yes");
        assertThat(get(fresh.get(1), EtcdManager.SNAPSHOT_MARKER_KEY)).isNotNull();
        assertThat(get(fresh.get(1), EtcdManager.VOLATILE_PREFIX + "/volatile")).isNull();
        awaitVoters(fresh.get(2), "n4", "n5", "n6");
    }
}
