package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.cli.internal.ManagedNode;
import io.e2d.cli.internal.RunSettings;
import io.e2d.core.manager.Gossip;
import io.e2d.core.manager.ManagerConfig;
import io.e2d.core.manager.SnapshotBackups;
import io.e2d.discovery.gossip.MembershipException;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import io.e2d.snapshot.SnapshotArchive;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The mapping of {@code e2d run} flags to the cluster manager's configuration. */
@Timeout(30)
class ManagedRunTest {
    @Test
    void flagsBecomeTheManagerConfig() {
        ManagerConfig c = ManagedNode.config(CliRunner.settings(
                Map.of(),
                "--name",
                "node-1",
                "--host",
                "10.1.2.3",
                "--client-addr",
                "0.0.0.0:2379",
                "--peer-addr",
                "0.0.0.0:2380",
                "--health-check-timeout",
                "5s",
                "--snapshot-interval",
                "30s"));
        assertThat(c.name()).contains("node-1");
        assertThat(c.clientUrl()).isEqualTo(URI.create("http://10.1.2.3:2379"));
        assertThat(c.peerUrl()).isEqualTo(URI.create("http://10.1.2.3:2380"));
        assertThat(c.listenClientUrls()).contains(URI.create("http://0.0.0.0:2379"));
        assertThat(c.listenPeerUrls()).containsExactly(URI.create("http://0.0.0.0:2380"));
        assertThat(c.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.snapshotInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.requiredClusterSize()).isEqualTo(1);
    }

    @Test
    void clusterOfThree_takesItsSeedsFromBootstrapAddrs() {
        ManagerConfig c = ManagedNode.config(CliRunner.settings(
                Map.of(), "-n", "3", "--bootstrap-addrs", "10.0.0.6:7980,10.0.0.7", "--gossip-addr", "127.0.0.1:7990"));
        assertThat(c.requiredClusterSize()).isEqualTo(3);
        assertThat(c.bootstrapAddresses())
                .extracting(Object::toString)
                .containsExactly("10.0.0.6:7980", "10.0.0.7:7980");
        assertThat(c.gossipAddress().port()).isEqualTo(7990);
    }

    @Test
    void caAndPeerCertificatesTurnOnGossipTls(@TempDir Path dir) {
        PkiFiles pki = Pki.generate(
                dir, List.of(), PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
        String[] flags = {
            "-n",
            "3",
            "--bootstrap-addrs",
            "10.0.0.6",
            "--host",
            "127.0.0.1",
            // a gossip host the peer certificate does not name: gossip TLS refuses it up front
            "--gossip-addr",
            "192.0.2.77:7990",
            "--peer-cert",
            pki.peerCert().toString(),
            "--peer-key",
            pki.peerKey().toString()
        };
        List<String> withCa = new ArrayList<>(List.of(flags));
        withCa.addAll(List.of("--ca-cert", pki.caCert().toString()));

        ManagerConfig tls = ManagedNode.config(CliRunner.settings(Map.of(), withCa.toArray(String[]::new)));
        assertThatThrownBy(() -> Gossip.membership(tls, "n1", null))
                .isInstanceOf(MembershipException.class)
                .hasMessageContaining(pki.peerCert().toString())
                .hasMessageContaining("192.0.2.77");
        // Peer TLS without a CA: no client certificates to require, gossip stays plain TCP.
        ManagerConfig plain = ManagedNode.config(CliRunner.settings(Map.of(), flags));
        try (Gossip g = Gossip.membership(plain, "n1", null)) {
            assertThat(g.members()).hasSize(1);
        }
    }

    @Test
    void cloudCredentialsReachDiscoveryAndTheStoreWithoutShowingUp() {
        RunSettings s = CliRunner.settings(
                Map.of("E2D_DO_ACCESS_TOKEN", "dop_v1_secret"),
                "--do-spaces-key",
                "SPACESKEY",
                "--do-spaces-secret",
                "spaces-secret",
                "--aws-access-key",
                "AKIAEXAMPLE",
                "--aws-secret-key",
                "aws-secret");
        assertThat(ManagedNode.discoveryOptions(s).doAccessToken()).contains("dop_v1_secret");
        assertThat(ManagedNode.discoveryOptions(s).awsAccessKey()).contains("AKIAEXAMPLE");
        assertThat(ManagedNode.discoveryOptions(s).awsSecretKey()).contains("aws-secret");
        assertThat(ManagedNode.storeOptions(s).spacesKey()).contains("SPACESKEY");
        assertThat(ManagedNode.storeOptions(s).spacesSecret()).contains("spaces-secret");
        assertThat(s.toString())
                .doesNotContain("dop_v1_secret", "SPACESKEY", "spaces-secret", "AKIAEXAMPLE", "aws-secret");

        RunSettings none = CliRunner.settings(Map.of());
        assertThat(ManagedNode.discoveryOptions(none).doAccessToken()).isEmpty();
        assertThat(ManagedNode.discoveryOptions(none).awsAccessKey()).isEmpty();
        assertThat(ManagedNode.storeOptions(none).spacesKey()).isEmpty();
    }

    @Test
    void snapshotS3EndpointAndRetentionReachTheStoreAndTheArchive(@TempDir Path dir) throws Exception {
        RunSettings s = CliRunner.settings(
                Map.of("E2D_SNAPSHOT_RETENTION", "2"),
                "--snapshot-backup-url",
                "file://" + dir.resolve("etcd.snapshot"),
                "--snapshot-s3-endpoint",
                "http://127.0.0.1:9000");
        assertThat(ManagedNode.storeOptions(s).s3Endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(ManagedNode.storeOptions(s).pathStyle()).isTrue();
        assertThat(s.snapshotRetention()).isEqualTo(2);
        SnapshotArchive archive = ManagedNode.archive(s);
        for (long revision = 1; revision <= 3; revision++) {
            byte[] data = ("snapshot " + revision).getBytes(StandardCharsets.UTF_8);
            archive.save(new ByteArrayInputStream(data), data.length, revision, 1);
        }
        assertThat(archive.list()).hasSize(2);

        RunSettings defaults = CliRunner.settings(Map.of());
        assertThat(defaults.snapshotRetention()).isEqualTo(SnapshotArchive.DEFAULT_RETENTION);
        assertThat(ManagedNode.storeOptions(defaults).s3Endpoint()).isEmpty();
    }

    @Test
    void withCaKeyButNoEncryption_newSnapshotsArePlain_encryptedOnesStillRestore(@TempDir Path dir) throws Exception {
        Path vectors = Path.of(System.getProperty("e2d.vectors.dir"), "e2d-snapshot");
        String caKey = vectors.resolve("ca.key").toString();
        String url = "file://" + dir.resolve("etcd.snapshot");
        byte[] plain = Files.readAllBytes(vectors.resolve("plain.db"));
        // saved by a node with --snapshot-encryption
        RunSettings encrypting =
                CliRunner.settings(Map.of(), "--snapshot-backup-url", url, "--ca-key", caKey, "--snapshot-encryption");
        ManagedNode.archive(encrypting).save(new ByteArrayInputStream(plain), plain.length, 7, 1);

        RunSettings notEncrypting = CliRunner.settings(Map.of(), "--snapshot-backup-url", url, "--ca-key", caKey);
        SnapshotBackups backups = ManagedNode.backups(notEncrypting).orElseThrow();
        String name = backups.list().get(0);
        assertThat(name).contains(".enc");
        Path fetched = backups.fetch(name, Files.createDirectories(dir.resolve("fetched")));
        assertThat(Files.readAllBytes(fetched)).isEqualTo(plain);
        assertThat(ManagedNode.archive(notEncrypting)
                        .save(new ByteArrayInputStream(plain), plain.length, 8, 1)
                        .name())
                .doesNotContain(".enc");
    }

    @Test
    void aBadSnapshotEndpointOrRetentionIsAUsageError() {
        CliRunner.Result endpoint = CliRunner.run(Map.of(), "run", "--snapshot-s3-endpoint", "minio:9000");
        assertThat(endpoint.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(endpoint.err()).contains("--snapshot-s3-endpoint must be an http(s) URL");
        CliRunner.Result retention = CliRunner.run(Map.of(), "run", "--snapshot-retention", "0");
        assertThat(retention.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(retention.err()).contains("--snapshot-retention must be at least 1");
    }

    @Test
    void aSpacesKeyWithoutItsSecretIsAUsageError() {
        CliRunner.Result r = CliRunner.run(Map.of(), "run", "--do-spaces-key", "K");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--do-spaces-key and --do-spaces-secret go together");
    }

    @Test
    void noNameLeavesItToTheDataDir() {
        assertThat(ManagedNode.config(CliRunner.settings(Map.of())).name()).isEmpty();
    }
}
