package io.e2d.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.snapshot.EtcdProcess;
import io.e2d.snapshot.EtcdRoundTrip;
import io.e2d.snapshot.codec.Vectors;
import io.etcd.jetcd.Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code e2d snapshot save|ls|verify|restore} against a real etcd and a file store. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotCommandIT {
    @TempDir
    Path tmp;

    private static CliRunner.Result e2d(String... args) {
        return CliRunner.run(Map.of("PATH", System.getenv("PATH")), args);
    }

    @Test
    void saveListVerifyRestoreRoundTripsTheKeys() throws Exception {
        String url = "file://" + tmp.resolve("backups/etcd.snapshot");
        String caKey = Vectors.dir().resolve("ca.key").toString();
        Map<String, String> written = new TreeMap<>();
        try (EtcdProcess etcd = EtcdProcess.start(tmp.resolve("etcd/data"), EtcdProcess.freePort());
                Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            for (int i = 0; i < 50; i++) {
                client.getKVClient()
                        .put(EtcdRoundTrip.bytes("/cli/k" + i), EtcdRoundTrip.bytes("v" + i))
                        .get(10, TimeUnit.SECONDS);
                written.put("/cli/k" + i, "v" + i);
            }
            CliRunner.Result save = e2d(
                    "snapshot",
                    "save",
                    "--url",
                    url,
                    "--endpoints",
                    etcd.endpoint(),
                    "--compression",
                    "zstd",
                    "--encrypt",
                    "--ca-key",
                    caKey);
            assertThat(save.exitCode()).as(save.err()).isZero();
            assertThat(save.out()).startsWith("saved etcd.snapshot-").contains("encrypted+zstd+bbolt");
            assertThat(save.err()).isEmpty(); // not a terminal: no progress
        }

        CliRunner.Result ls = e2d("snapshot", "ls", "--url", url);
        assertThat(ls.exitCode()).isZero();
        assertThat(ls.out().lines()).hasSize(2);
        assertThat(ls.out()).contains("encrypted+zstd+bbolt");

        CliRunner.Result verify = e2d("snapshot", "verify", "--url", url, "--ca-key", caKey);
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("OK ").contains("MAC verified").contains("SHA-256 trailer verified");

        CliRunner.Result noKey = e2d("snapshot", "verify", "--url", url);
        assertThat(noKey.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noKey.err()).contains("--ca-key");

        int peerPort = EtcdProcess.freePort();
        Path dataDir = tmp.resolve("restored/data");
        CliRunner.Result restore = e2d(
                "snapshot",
                "restore",
                "--url",
                url,
                "--ca-key",
                caKey,
                "--data-dir",
                dataDir.toString(),
                "--name",
                EtcdProcess.NAME,
                "--initial-cluster",
                EtcdProcess.NAME + "=http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + peerPort);
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        try (Stream<Path> siblings = Files.list(dataDir.getParent())) {
            assertThat(siblings).containsExactly(dataDir); // temp files cleaned
        }
        try (EtcdProcess etcd = EtcdProcess.start(dataDir, peerPort);
                Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            assertThat(EtcdRoundTrip.readAll(client, "/cli/")).isEqualTo(written);
        }
    }

    @Test
    void wrongKeyOrTamperedSnapshotFailsWithOneLineAndLeavesTheDataDir() throws Exception {
        Path backups = tmp.resolve("backups");
        Files.createDirectories(backups);
        // A Go e2d snapshot, at the base name.
        Files.write(backups.resolve("etcd.snapshot"), Vectors.read("snapshot.enc.gz"));
        String url = "file://" + backups.resolve("etcd.snapshot");
        Path dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("keep-me"), "existing member data");

        Path otherKey = tmp.resolve("other.key");
        Files.writeString(
                otherKey, Files.readString(Vectors.dir().resolve("ca.key")).replaceFirst("MII", "MIJ"));
        CliRunner.Result notEmpty = e2d(
                "snapshot",
                "restore",
                "--url",
                url,
                "--ca-key",
                Vectors.dir().resolve("ca.key").toString(),
                "--data-dir",
                dataDir.toString());
        assertThat(notEmpty.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notEmpty.err()).contains("--force");

        byte[] tampered = Vectors.read("snapshot.enc");
        tampered[100] ^= 1;
        Files.write(backups.resolve("etcd.snapshot"), tampered);
        CliRunner.Result bad = e2d(
                "snapshot",
                "restore",
                "--url",
                url,
                "--ca-key",
                Vectors.dir().resolve("ca.key").toString(),
                "--data-dir",
                dataDir.toString(),
                "--force");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.RUNTIME_ERROR);
        assertThat(bad.errLines()).hasSize(1);
        assertThat(bad.err())
                .startsWith("e2d: ")
                .contains("failed authentication")
                .contains("--ca-key");
        assertThat(Files.readString(dataDir.resolve("keep-me"))).isEqualTo("existing member data");
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("backups", "data", "other.key");
        }
    }
}
