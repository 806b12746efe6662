package io.e2d.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PkiFilesTest {
    static final PkiConfig FAST =
            PkiConfig.builder().keyType(KeyType.ECDSA_P256).build();

    @TempDir
    Path tmp;

    @Test
    void initCreatesDirectoriesAndRefusesToOverwriteWithoutForce() throws Exception {
        Path crt = tmp.resolve("a/b/ca.crt");
        Path key = tmp.resolve("a/b/ca.key");
        CertificateAuthority first = Pki.initCa(crt, key, FAST, false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        String certBefore = Files.readString(crt);
        String keyBefore = Files.readString(key);
        assertThat(certBefore).isEqualTo(first.certificatePem());

        assertThatThrownBy(() -> Pki.initCa(crt, key, FAST, false))
                .isInstanceOfSatisfying(OverwriteRefusedException.class, e -> assertThat(e.file())
                        .isEqualTo(crt.toAbsolutePath()))
                .hasMessageContaining("refusing to overwrite existing file " + crt.toAbsolutePath())
                .hasMessageContaining("--force");
        assertThat(Files.readString(crt)).isEqualTo(certBefore);
        assertThat(Files.readString(key)).isEqualTo(keyBefore);

        // Only the key exists: still refused, and no certificate appears.
        Files.delete(crt);
        assertThatThrownBy(() -> Pki.initCa(crt, key, FAST, false)).isInstanceOf(OverwriteRefusedException.class);
        assertThat(crt).doesNotExist();

        CertificateAuthority forced = Pki.initCa(crt, key, FAST, true);
        assertThat(Files.readString(key)).isNotEqualTo(keyBefore).isEqualTo(forced.privateKeyPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(TestPki.listRecursively(tmp.resolve("a/b"))).containsExactly("ca.crt", "ca.key");
    }

    @Test
    void unwritableOutputDirectoryLeavesNothingBehind() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate(FAST);
        Path file = tmp.resolve("not-a-dir");
        Files.writeString(file, "x");
        Path out = file.resolve("certs");
        assertThatThrownBy(() -> Pki.issueAll(ca, out, "", List.of()))
                .isInstanceOf(PkiFileException.class)
                .hasMessageContaining("cannot create directory " + out)
                .hasMessageContaining("Not a directory");
        assertThat(TestPki.listRecursively(tmp)).containsExactly("not-a-dir");
    }

    @Test
    void aFailureHalfwayRemovesStagedFilesAndCreatedDirectories() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate(FAST);
        // The second target's directory cannot be created (its parent is a file): the first file, already
        // staged in a freshly created directory, must disappear together with that directory.
        Path blocker = tmp.resolve("blocker");
        Files.writeString(blocker, "x");
        assertThatThrownBy(() -> io.e2d.pki.internal.AtomicFiles.writeAll(
                        List.of(
                                ca.certificateEntry(tmp.resolve("new/dir/ca.crt")),
                                ca.keyEntry(blocker.resolve("sub/ca.key"))),
                        false))
                .isInstanceOf(PkiFileException.class);
        assertThat(TestPki.listRecursively(tmp)).containsExactly("blocker");
    }

    @Test
    void gencertsWithAPrefixWritesOneNodesFilesAndReplacesThemOnRenewal() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate(FAST);
        LeafFiles files = Pki.issueAll(ca, tmp.resolve("out"), "node1", List.of("n1.example"));
        assertThat(TestPki.listRecursively(tmp.resolve("out")))
                .containsExactly(
                        "node1-client.crt",
                        "node1-client.key",
                        "node1-client.pkcs8.key",
                        "node1-peer.crt",
                        "node1-peer.key",
                        "node1-server.crt",
                        "node1-server.key");
        String before = Files.readString(files.serverCert());
        LeafFiles again = Pki.issueAll(ca, tmp.resolve("out"), "node1", List.of("n1.example"));
        assertThat(again).isEqualTo(files);
        assertThat(Files.readString(files.serverCert())).isNotEqualTo(before);
        assertThat(CertificateInfo.of(Pem.readCertificate(files.serverCert())).subjectAltNames())
                .startsWith("DNS:n1.example", "IP:127.0.0.1", "DNS:localhost");
        for (Path p : again.all()) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            assertThat(mode).isEqualTo(p.toString().endsWith(".key") ? "rw-------" : "rw-r--r--");
        }
        assertThatThrownBy(() -> LeafFiles.in(tmp, "../evil"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("name prefix must be");
    }

    @Test
    void generateRefusesToOverwriteAnExistingPki() throws Exception {
        Path dir = tmp.resolve("pki");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("peer.key"), "keep me");
        assertThatThrownBy(() -> Pki.generate(dir, List.of(), FAST)).isInstanceOf(OverwriteRefusedException.class);
        assertThat(TestPki.listRecursively(dir)).containsExactly("peer.key");
        assertThat(Files.readString(dir.resolve("peer.key"))).isEqualTo("keep me");
    }

    @Test
    void certificateInfoDescribesAndFlagsExpiry() {
        PkiFiles pki = TestPki.rsa();
        CertificateInfo info = CertificateInfo.of(Pem.readCertificate(pki.peerCert()));
        assertThat(info.subject()).isEqualTo("O=e2d,CN=etcd peer");
        assertThat(info.issuer()).isEqualTo("O=e2d,CN=e2d-ca");
        assertThat(info.keyUsages()).containsExactly("digitalSignature", "keyEncipherment");
        assertThat(info.extendedKeyUsages()).containsExactly("serverAuth", "clientAuth");
        assertThat(info.subjectAltNames()).contains("DNS:localhost", "IP:127.0.0.1", "IP:" + TestPki.EXTRA_IP);
        assertThat(info.isCa()).isFalse();
        assertThat(info.publicKey()).isEqualTo("RSA 2048");
        java.time.Clock now = java.time.Clock.systemUTC();
        assertThat(info.daysLeft(now)).isBetween(1824L, 1825L);
        assertThat(info.expiresWithin(CertificateInfo.EXPIRY_WARNING, now)).isFalse();
        java.time.Clock late =
                java.time.Clock.fixed(info.notAfter().minus(java.time.Duration.ofDays(29)), java.time.ZoneOffset.UTC);
        assertThat(info.expiresWithin(CertificateInfo.EXPIRY_WARNING, late)).isTrue();
        assertThat(info.daysLeft(late)).isEqualTo(29);
        assertThat(CertificateInfo.of(Pem.readCertificate(pki.caCert())).keyUsages())
                .containsExactly("keyCertSign", "cRLSign");
    }
}
