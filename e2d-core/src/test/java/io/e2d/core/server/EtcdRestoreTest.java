package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EtcdRestoreTest {
    static final Path VECTORS = Path.of(System.getProperty("e2d.vectors.dir", "test-vectors"), "e2d-snapshot");

    @TempDir
    Path tmp;

    private EtcdServerConfig config(Path dataDir) {
        return EtcdServerConfig.builder()
                .name("r1")
                .dataDir(dataDir)
                .peerUrl(URI.create("http://127.0.0.1:12380"))
                .initialClusterMember("r1", URI.create("http://127.0.0.1:12380"))
                .initialClusterMember("r0", URI.create("http://127.0.0.2:12380"))
                .initialClusterToken("tok")
                .build();
    }

    private EtcdBinary fakeBinary(String version, String... tools) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin-" + version));
        for (String tool : tools) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return EtcdBinary.of(bin.resolve("etcd"), EtcdVersion.parse(version));
    }

    @Test
    void detectsAndVerifiesTheHashTrailer() throws IOException {
        assertThat(EtcdRestore.hasVerifiedHashTrailer(VECTORS.resolve("full.db")))
                .isTrue();
        assertThat(EtcdRestore.hasVerifiedHashTrailer(VECTORS.resolve("plain.db")))
                .isFalse();

        byte[] tampered = Files.readAllBytes(VECTORS.resolve("full.db"));
        tampered[100] ^= 1;
        Path bad = Files.write(tmp.resolve("bad.db"), tampered);
        assertThatThrownBy(() -> EtcdRestore.hasVerifiedHashTrailer(bad))
                .isInstanceOf(EtcdRestoreException.class)
                .hasMessageContaining("SHA-256 trailer that does not match");

        Path odd = Files.write(tmp.resolve("odd.db"), new byte[1000]);
        assertThatThrownBy(() -> EtcdRestore.hasVerifiedHashTrailer(odd))
                .hasMessageContaining("is not an etcd snapshot");
        Path empty = Files.write(tmp.resolve("empty.db"), new byte[0]);
        assertThatThrownBy(() -> EtcdRestore.hasVerifiedHashTrailer(empty)).hasMessageContaining("is empty");
    }

    @Test
    void usesEtcdctlOn34AndEtcdutlFrom35() throws IOException {
        EtcdServerConfig c = config(tmp.resolve("data"));
        Path out = tmp.resolve("out");
        EtcdBinary v34 = fakeBinary("3.4.23", "etcdctl");
        List<String> cmd34 = EtcdRestore.command(Path.of("/s.db"), c, v34, EtcdRestore.Options.defaults(), out, true);
        assertThat(cmd34)
                .containsExactly(
                        v34.path().resolveSibling("etcdctl").toString(),
                        "snapshot",
                        "restore",
                        "/s.db",
                        "--name=r1",
                        "--data-dir=" + out,
                        "--initial-cluster=r0=http://127.0.0.2:12380,r1=http://127.0.0.1:12380",
                        "--initial-cluster-token=tok",
                        "--initial-advertise-peer-urls=http://127.0.0.1:12380",
                        "--skip-hash-check=true");

        EtcdBinary v35 = fakeBinary("3.5.17", "etcdctl", "etcdutl");
        List<String> cmd35 = EtcdRestore.command(
                Path.of("/s.db"), c, v35, EtcdRestore.Options.defaults().withBumpRevision(1000), out, false);
        assertThat(cmd35.get(0)).isEqualTo(v35.path().resolveSibling("etcdutl").toString());
        assertThat(cmd35)
                .contains("--bump-revision=1000", "--mark-compacted=true")
                .doesNotContain("--skip-hash-check=true");

        EtcdBinary v36NoUtl = fakeBinary("3.6.4", "etcdctl");
        EtcdBinary noUtl = EtcdBinary.of(v36NoUtl.path(), v36NoUtl.version());
        // etcdutl may still be on the PATH of the machine running the test; only check the message when absent.
        if (noUtl.etcdutl().isEmpty()) {
            assertThatThrownBy(() ->
                            EtcdRestore.command(Path.of("/s.db"), c, noUtl, EtcdRestore.Options.defaults(), out, true))
                    .isInstanceOf(EtcdBinaryNotFoundException.class)
                    .hasMessageContaining("etcdutl not found");
        }
    }

    @Test
    void optionsAreValidated() throws IOException {
        assertThatThrownBy(() -> new EtcdRestore.Options(5, false, EtcdRestore.Options.DEFAULT_TIMEOUT))
                .isInstanceOf(InvalidEtcdConfigException.class)
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> EtcdRestore.Options.defaults().withBumpRevision(-1))
                .hasMessageContaining("bumpRevision must be >= 0");
        EtcdBinary old = fakeBinary("3.4.23", "etcdctl");
        assertThatThrownBy(() -> EtcdRestore.restore(
                        VECTORS.resolve("full.db"),
                        config(tmp.resolve("d")),
                        old,
                        EtcdRestore.Options.defaults().withBumpRevision(10)))
                .isInstanceOf(InvalidEtcdConfigException.class)
                .hasMessageContaining("need etcdctl 3.4.27+ or etcdutl 3.5.10+, this etcd is 3.4.23");
    }

    @Test
    void knowsWhichToolsCanBumpTheRevision() {
        assertThat(EtcdRestore.supportsBumpRevision(EtcdVersion.parse("3.4.23")))
                .isFalse();
        assertThat(EtcdRestore.supportsBumpRevision(EtcdVersion.parse("3.4.27")))
                .isTrue();
        assertThat(EtcdRestore.supportsBumpRevision(EtcdVersion.parse("3.5.9"))).isFalse();
        assertThat(EtcdRestore.supportsBumpRevision(EtcdVersion.parse("3.5.10")))
                .isTrue();
        assertThat(EtcdRestore.supportsBumpRevision(EtcdVersion.parse("3.6.0"))).isTrue();
    }

    @Test
    void neverTouchesANonEmptyDataDir() throws IOException {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        Path precious = Files.writeString(dataDir.resolve("keep.me"), "precious");
        EtcdBinary binary = fakeBinary("3.4.23", "etcdctl");
        assertThatThrownBy(() -> EtcdRestore.restore(VECTORS.resolve("plain.db"), config(dataDir), binary))
                .isInstanceOf(EtcdRestoreException.class)
                .hasMessageContaining("is not empty: refusing to restore over it");
        assertThat(precious).hasContent("precious");
        try (var entries = Files.list(tmp)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".restore-"));
        }
    }
}
