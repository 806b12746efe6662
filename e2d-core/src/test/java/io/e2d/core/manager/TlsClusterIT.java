package io.e2d.core.manager;

import static io.e2d.core.manager.ManagerClusterIT.awaitVoters;
import static io.e2d.core.manager.ManagerClusterIT.get;
import static io.e2d.core.manager.ManagerClusterIT.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.pki.SecretKeys;
import io.e2d.snapshot.Compression;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.SnapshotMetadata;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go e2d's TLS scenarios (spec §7: SecurityConfig, ServerRestartCertRenewal, RollingUpdate,
 * RestoreClusterFromSnapshotEncryption) plus the replacement of every node in turn, on three real
 * etcd processes with mutual TLS on the client and peer listeners (certificates from e2d-pki), while a
 * writer keeps writing: no acknowledged write may be lost and writes must keep being acknowledged.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TlsClusterIT {
    /** Writes may stall for an election or a client failover, never for a whole step. */
    static final Duration LONGEST_WRITE_GAP = Duration.ofSeconds(15);

    @TempDir
    Path root;

    final InMemoryGossipNetwork network = new InMemoryGossipNetwork();
    final List<TestNode> nodes = new ArrayList<>();
    TestPki pki;

    @BeforeEach
    void pki() {
        pki = TestPki.generate(root.resolve("pki"));
    }

    @AfterEach
    void stopAll() {
        nodes.forEach(TestNode::close);
    }

    TestNode tlsNode(String name, @Nullable SnapshotBackups backups, Duration healthCheckTimeout) {
        TestNode n = TestNode.createTls(name, root, 3, network, backups, pki);
        n.healthCheckTimeout = healthCheckTimeout;
        nodes.add(n);
        return n;
    }

    TestNode track(TestNode n) {
        nodes.add(n);
        return n;
    }

    List<TestNode> startThree(@Nullable SnapshotBackups backups, Duration healthCheckTimeout, String... names) {
        List<TestNode> three = new CopyOnWriteArrayList<>();
        for (String name : names) {
            three.add(tlsNode(name, backups, healthCheckTimeout).startAsync());
        }
        three.forEach(TestNode::awaitStarted);
        return three;
    }

    static String[] names(List<TestNode> nodes) {
        return nodes.stream().map(n -> n.name).toArray(String[]::new);
    }

    @Test
    void tlsCluster_certificatesRenewedInPlace_thenRollingUpdate_noAcknowledgedWriteLost() throws Exception {
        // restarts must not be mistaken for failures here
        List<TestNode> current = startThree(null, Duration.ofMinutes(2), "n1", "n2", "n3");
        awaitVoters(current.get(0), "n1", "n2", "n3");

        // SecurityConfig: write through one node, read through another, both with a client certificate;
        // the managers' own clients (peer certificates) see a healthy cluster
        put(current.get(0), "/tls", "v");
        assertThat(get(current.get(1), "/tls")).isEqualTo("v");
        ManagerStatus status = current.get(2).manager().status();
        assertThat(status.healthy()).isTrue();
        assertThat(status.members()).hasSize(3);

        try (AckedWriter writer = AckedWriter.start(() -> List.copyOf(current))) {
            // ServerRestartCertRenewal, one node at a time while gossip keeps running
            for (TestNode n : current) {
                BigInteger before = pki.servedSerial(n.clientUrl);
                pki.issue(n.name);
                BigInteger renewedServer = TestPki.serial(n.certs().serverCert());
                BigInteger renewedPeer = TestPki.serial(n.certs().peerCert());
                assertThat(renewedServer).isNotEqualTo(before);

                n.manager().restartEtcd();

                assertThat(n.manager().state()).isEqualTo(EtcdManager.State.RUNNING);
                assertThat(pki.servedSerial(n.clientUrl)).isEqualTo(renewedServer);
                assertThat(pki.servedSerial(n.peerUrl)).isEqualTo(renewedPeer);
                writer.awaitMore(20);
            }
            awaitVoters(current.get(0), "n1", "n2", "n3");

            // RollingUpdate: stop each manager in turn and start a new one on the same data dir
            for (int i = 0; i < current.size(); i++) {
                TestNode old = current.get(i);
                old.close();
                writer.awaitMore(20);
                TestNode again = track(old.again()).startAsync().awaitStarted();
                current.set(i, again);
                awaitVoters(again, "n1", "n2", "n3");
                writer.awaitMore(20);
            }
            writer.assertNoAckedWriteLost(current.get(1));
            assertThat(writer.longestGap()).isLessThan(LONGEST_WRITE_GAP);
        }
        assertThat(get(current.get(2), "/tls")).isEqualTo("v");
    }

    @Test
    void everyNodeReplacedInTurn_thenAllLost_newNodesRestoreTheEncryptedSnapshot() throws Exception {
        SnapshotKey key = SnapshotKey.of(SecretKeys.fromCaKey(pki.files.caKey()));
        var store = SnapshotStores.forUri(
                "file://" + root.resolve("backups/etcd.snapshot"), SnapshotStoreOptions.defaults());
        SnapshotArchive encrypted = SnapshotArchive.builder(store)
                .compression(Compression.GZIP)
                .key(key)
                .build();
        List<TestNode> current =
                startThree(SnapshotBackups.of(encrypted), TestNode.HEALTH_CHECK_TIMEOUT, "n1", "n2", "n3");

        // the etcd-aws promise: every node replaced in turn by a new one (new name, address and empty
        // data dir), the dead member removed after the health-check timeout, the cluster writable all along
        AckedWriter writer = AckedWriter.start(() -> List.copyOf(current));
        // Go e2d's RollingUpdate order first: the new node joins a healthy cluster (4 voting members),
        // then the old one stops and is removed
        TestNode first = track(TestNode.createTls("r1", root, 3, network, SnapshotBackups.of(encrypted), pki))
                .startAsync()
                .awaitStarted();
        awaitVoters(first, "n1", "n2", "n3", "r1");
        writer.awaitMore(20);
        current.get(0).kill();
        current.set(0, first);
        awaitVoters(first, names(current));
        writer.awaitMore(20);
        // then the failure order: the old node dies first, its replacement joins once it is removed
        for (int i = 1; i < 3; i++) {
            current.get(i).kill();
            writer.awaitMore(20);
            TestNode fresh = track(
                            TestNode.createTls("r" + (i + 1), root, 3, network, SnapshotBackups.of(encrypted), pki))
                    .startAsync()
                    .awaitStarted();
            current.set(i, fresh);
            awaitVoters(fresh, names(current));
            writer.awaitMore(20);
        }
        writer.assertNoAckedWriteLost(current.get(2));
        assertThat(writer.longestGap()).isLessThan(LONGEST_WRITE_GAP);

        // RestoreClusterFromSnapshotEncryption: snapshot (gzip + encrypted with the CA-derived key),
        // lose every node, new nodes restore: like Go e2d's restored nodes they only compress new
        // snapshots, and still hold the key to decrypt the stored one (reading detects the codec)
        put(current.get(0), "/kept", "yes");
        assertThat(current.stream().filter(n -> n.manager().snapshotNow()).count())
                .isEqualTo(1);
        assertThat(encrypted.latest().orElseThrow().metadata().map(SnapshotMetadata::codec))
                .hasValueSatisfying(codec -> assertThat(codec).contains("gzip").contains("encrypted"));
        current.forEach(TestNode::kill);

        SnapshotBackups gzipOnly = SnapshotBackups.of(
                SnapshotArchive.builder(store).compression(Compression.GZIP).build(),
                SnapshotArchive.builder(store).key(key).build());
        List<TestNode> restored = new ArrayList<>();
        for (String name : List.of("s1", "s2", "s3")) {
            restored.add(track(TestNode.createTls(name, root, 3, network, gzipOnly, pki))
                    .startAsync());
        }
        restored.forEach(TestNode::awaitStarted);
        awaitVoters(restored.get(0), "s1", "s2", "s3");
        assertThat(get(restored.get(1), "/kept")).isEqualTo("yes");
        assertThat(get(restored.get(2), EtcdManager.SNAPSHOT_MARKER_KEY)).isNotNull();
        // every write acknowledged before the snapshot is in it
        writer.assertNoAckedWriteLost(restored.get(0));
        // the restored cluster's own snapshots are compressed, not encrypted
        put(restored.get(0), "/after-restore", "1");
        assertThat(restored.stream().filter(n -> n.manager().snapshotNow()).count())
                .isEqualTo(1);
        assertThat(encrypted.latest().orElseThrow().metadata().map(SnapshotMetadata::codec))
                .hasValueSatisfying(codec -> assertThat(codec).contains("gzip").doesNotContain("encrypted"));
    }
}
