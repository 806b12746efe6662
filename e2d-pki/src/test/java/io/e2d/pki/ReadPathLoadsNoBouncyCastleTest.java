package io.e2d.pki;

import static io.e2d.pki.TestPki.openssl;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading certificates and keys must not load BouncyCastle: bcprov is a signed jar, and its first class costs a
 * one-shot command (e2d snapshot save --encrypt, a TLS client) most of a second of signature checking.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadPathLoadsNoBouncyCastleTest {
    @TempDir
    Path tmp;

    @Test
    void snapshotKeyTlsManagersAndCertificateInfoLoadNoBouncyCastleClassInAFreshJvm() {
        PkiFiles pki = TestPki.rsa();
        Path ecKey = tmp.resolve("ec.key");
        Path ecCert = tmp.resolve("ec.crt");
        // SEC1 with a leading EC PARAMETERS block, and its self-signed certificate.
        assertThat(openssl("ecparam", "-genkey", "-name", "prime256v1", "-out", ecKey.toString())
                        .exitCode())
                .isZero();
        TestPki.Result req = openssl(
                "req",
                "-x509",
                "-new",
                "-key",
                ecKey.toString(),
                "-subj",
                "/CN=ec",
                "-days",
                "2",
                "-out",
                ecCert.toString());
        assertThat(req.exitCode()).as(req.output()).isZero();

        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).as("BouncyCastle is there to be loaded").contains("bcprov");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info",
                "-cp",
                classPath,
                ReadPathMain.class.getName(),
                pki.caCert().toString(),
                pki.caKey().toString()));
        cmd.addAll(List.of(pki.peerCert().toString(), pki.peerKey().toString())); // PKCS#1
        cmd.addAll(List.of(pki.clientCert().toString(), pki.clientKeyPkcs8().toString())); // PKCS#8
        cmd.addAll(List.of(ecCert.toString(), ecKey.toString())); // SEC1
        TestPki.Result r = TestPki.run(cmd, Map.of());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output())
                .contains("read-path-ok " + HexFormat.of().formatHex(SecretKeys.fromCaKey(pki.caKey()))
                        + " key-managers=3 trust-managers=1 ca-subject=O=e2d,CN=e2d-ca")
                // the log does list the classes used, so the absence below means something
                .contains("io.e2d.pki.Pem source:")
                .contains("io.e2d.pki.internal.KeyEncodings source:")
                .contains("io.e2d.pki.Tls source:")
                .contains("io.e2d.pki.CertificateInfo source:");
        List<String> loaded = r.output()
                .lines()
                .filter(l -> l.contains("org.bouncycastle"))
                .limit(5)
                .toList();
        assertThat(loaded).as("BouncyCastle classes loaded by the read path").isEmpty();
    }
}
