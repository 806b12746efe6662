package io.e2d.pki;

import static io.e2d.pki.TestPki.openssl;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CertificateAuthorityTest {
    @TempDir
    Path tmp;

    @Test
    void opensslVerifiesAllThreeLeavesForTheirPurposes() {
        PkiFiles pki = TestPki.rsa();
        String ca = pki.caCert().toString();
        for (Path leaf : List.of(pki.serverCert(), pki.peerCert(), pki.clientCert())) {
            TestPki.Result r = openssl("verify", "-CAfile", ca, leaf.toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains(leaf + ": OK");
        }
        assertPurpose("sslserver", ca, pki.serverCert(), true);
        assertPurpose("sslserver", ca, pki.peerCert(), true);
        assertPurpose("sslclient", ca, pki.peerCert(), true);
        assertPurpose("sslclient", ca, pki.clientCert(), true);
        // Profiles are exclusive where they should be.
        assertPurpose("sslserver", ca, pki.clientCert(), false);
        assertPurpose("sslclient", ca, pki.serverCert(), false);
    }

    private static void assertPurpose(String purpose, String caFile, Path cert, boolean valid) {
        TestPki.Result r = openssl("verify", "-purpose", purpose, "-CAfile", caFile, cert.toString());
        assertThat(r.exitCode() == 0)
                .as(purpose + " " + cert + ": " + r.output())
                .isEqualTo(valid);
    }

    @Test
    void opensslShowsTheProfilesUsagesAndSans() {
        PkiFiles pki = TestPki.rsa();
        String server = text(pki.serverCert());
        String peer = text(pki.peerCert());
        String client = text(pki.clientCert());
        String ca = text(pki.caCert());

        assertThat(ca)
                .contains("CA:TRUE")
                .contains("Certificate Sign, CRL Sign")
                .contains("Subject: O = e2d, CN = e2d-ca")
                .contains("Public-Key: (2048 bit)")
                .contains("sha256WithRSAEncryption")
                .contains("X509v3 Subject Key Identifier");

        for (String leaf : List.of(server, peer, client)) {
            assertThat(leaf)
                    .contains("Issuer: O = e2d, CN = e2d-ca")
                    .contains("Digital Signature, Key Encipherment")
                    .contains("CA:FALSE")
                    .contains("Public-Key: (2048 bit)")
                    .contains("X509v3 Authority Key Identifier");
        }
        assertThat(server)
                .contains("Subject: O = e2d, CN = etcd server")
                .contains("TLS Web Server Authentication")
                .doesNotContain("TLS Web Client Authentication");
        assertThat(peer)
                .contains("Subject: O = e2d, CN = etcd peer")
                .contains("TLS Web Server Authentication, TLS Web Client Authentication");
        assertThat(client)
                .contains("Subject: O = e2d, CN = etcd client")
                .contains("TLS Web Client Authentication")
                .doesNotContain("TLS Web Server Authentication")
                .doesNotContain("Subject Alternative Name");

        for (String leaf : List.of(server, peer)) {
            String sans = leaf.substring(leaf.indexOf("X509v3 Subject Alternative Name"));
            sans = sans.substring(sans.indexOf('\n') + 1, sans.indexOf('\n', sans.indexOf('\n') + 1))
                    .trim();
            List<String> expected = new java.util.ArrayList<>(List.of(
                    "DNS:" + TestPki.EXTRA_HOST,
                    "IP Address:" + TestPki.EXTRA_IP,
                    "DNS:localhost",
                    "IP Address:127.0.0.1"));
            Hosts.detectHostAddress().ifPresent(ip -> expected.add("IP Address:" + ip));
            // Given hosts first, then the defaults; each exactly once even though localhost and 127.0.0.1 were
            // also given explicitly.
            assertThat(List.of(sans.split(", "))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void keysAre0600CertificatesAre0644AndKeyFormatsAreAsDocumented() throws Exception {
        PkiFiles pki = TestPki.rsa();
        for (Path key : List.of(pki.caKey(), pki.serverKey(), pki.peerKey(), pki.clientKey(), pki.clientKeyPkcs8())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .as(key.toString())
                    .isEqualTo("rw-------");
            assertThat(openssl("pkey", "-in", key.toString(), "-noout").exitCode())
                    .as("openssl reads " + key)
                    .isZero();
        }
        for (Path cert : List.of(pki.caCert(), pki.serverCert(), pki.peerCert(), pki.clientCert())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)))
                    .isEqualTo("rw-r--r--");
        }
        assertThat(Files.readString(pki.caKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
        assertThat(Files.readString(pki.serverKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
        assertThat(Files.readString(pki.clientKeyPkcs8())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        // Both client key files hold the same key.
        assertThat(Pem.readPrivateKey(pki.clientKeyPkcs8()).getEncoded())
                .isEqualTo(Pem.readPrivateKey(pki.clientKey()).getEncoded());
        assertThat(TestPki.listRecursively(pki.caCert().getParent()))
                .containsExactly(
                        "ca.crt",
                        "ca.key",
                        "client.crt",
                        "client.key",
                        "client.pkcs8.key",
                        "peer.crt",
                        "peer.key",
                        "server.crt",
                        "server.key");
    }

    @Test
    void issuerIsTheCaSubjectBytesAndAkiIsTheCaSki() {
        PkiFiles pki = TestPki.rsa();
        X509Certificate ca = Pem.readCertificate(pki.caCert());
        byte[] caSki = SubjectKeyIdentifier.getInstance(
                        ASN1OctetString.getInstance(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                                .getOctets())
                .getKeyIdentifier();
        for (Path p : List.of(pki.serverCert(), pki.peerCert(), pki.clientCert())) {
            X509Certificate leaf = Pem.readCertificate(p);
            assertThat(leaf.getIssuerX500Principal().getEncoded())
                    .isEqualTo(ca.getSubjectX500Principal().getEncoded());
            byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                                    leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                            .getOctets())
                    .getKeyIdentifier();
            assertThat(aki).isEqualTo(caSki);
            assertThat(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                    .isNotNull();
        }
    }

    @Test
    void validityIsBackdatedAndConfigurableAndSerialsAreRandom159Bits() {
        Instant now = Instant.parse("2030-01-02T03:04:40Z");
        PkiConfig config = PkiConfig.builder()
                .keyType(KeyType.ECDSA_P256)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
        CertificateAuthority ca = CertificateAuthority.generate(config);
        Instant rounded = Instant.parse("2030-01-02T03:05:00Z");
        assertThat(ca.certificate().getNotBefore().toInstant()).isEqualTo(rounded.minus(Duration.ofMinutes(5)));
        assertThat(ca.certificate().getNotAfter().toInstant()).isEqualTo(rounded.plus(Duration.ofHours(43800)));

        IssuedCertificate a = ca.issue(CertificateProfile.SERVER, List.of("a"));
        IssuedCertificate b = ca.issue(CertificateProfile.SERVER, List.of("a"));
        assertThat(a.certificate().getNotBefore().toInstant()).isEqualTo(rounded.minus(Duration.ofMinutes(5)));
        assertThat(a.certificate().getNotAfter().toInstant()).isEqualTo(rounded.plus(Duration.ofHours(43800)));
        for (BigInteger serial : List.of(
                a.certificate().getSerialNumber(),
                b.certificate().getSerialNumber(),
                ca.certificate().getSerialNumber())) {
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(159);
        }
        assertThat(a.certificate().getSerialNumber())
                .isNotEqualTo(b.certificate().getSerialNumber());

        CertificateAuthority shortLived =
                ca.withConfig(config.toBuilder().validity(Duration.ofDays(10)).build());
        IssuedCertificate c = shortLived.issue(CertificateProfile.CLIENT, List.of("ignored"));
        assertThat(c.certificate().getNotAfter().toInstant()).isEqualTo(rounded.plus(Duration.ofDays(10)));
        assertThat(CertificateInfo.of(c.certificate()).subjectAltNames()).isEmpty();
    }

    @Test
    void leafNeverOutlivesItsCa() {
        Instant now = Instant.parse("2030-01-02T03:04:00Z");
        PkiConfig caConfig = PkiConfig.builder()
                .keyType(KeyType.ECDSA_P256)
                .validity(Duration.ofDays(30))
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
        CertificateAuthority ca = CertificateAuthority.generate(caConfig);
        IssuedCertificate leaf = ca.withConfig(
                        caConfig.toBuilder().validity(Duration.ofDays(365)).build())
                .issue(CertificateProfile.PEER, List.of());
        assertThat(leaf.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @Test
    void ecdsaCaAndLeavesVerifyWithOpenssl() throws Exception {
        PkiFiles pki = Pki.generate(
                tmp,
                List.of("::1", "node-1"),
                PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
        for (Path leaf : List.of(pki.serverCert(), pki.peerCert(), pki.clientCert())) {
            TestPki.Result r = openssl("verify", "-CAfile", pki.caCert().toString(), leaf.toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        String server = text(pki.serverCert());
        assertThat(server)
                .contains("ecdsa-with-SHA256")
                .contains("NIST CURVE: P-256")
                .contains("IP Address:0:0:0:0:0:0:0:1")
                .contains("DNS:node-1")
                .contains("Digital Signature")
                .doesNotContain("Key Encipherment");
        assertThat(Files.readString(pki.caKey())).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
        assertThat(openssl("ec", "-in", pki.caKey().toString(), "-noout", "-check")
                        .output())
                .contains("EC Key valid");
        CertificateAuthority loaded = CertificateAuthority.load(pki.caCert(), pki.caKey());
        assertThat(loaded.keyType()).isEqualTo(KeyType.ECDSA_P256);
        assertThat(loaded.config().keyType()).isEqualTo(KeyType.ECDSA_P256);
    }

    @Test
    void loadedCaIssuesCertificatesThatChainToIt() throws Exception {
        CertificateAuthority ca = TestPki.rsaCa();
        assertThat(ca.keyType()).isEqualTo(KeyType.RSA_2048);
        // Reuse an existing key pair: RSA generation is slow and the key does not matter here.
        IssuedCertificate issued = ca.issue(
                CertificateProfile.SERVER,
                List.of("renewed.example"),
                new java.security.KeyPair(
                        Pem.readCertificate(TestPki.rsa().serverCert()).getPublicKey(),
                        Pem.readPrivateKey(TestPki.rsa().serverKey())));
        Path crt = tmp.resolve("renewed.crt");
        Path key = tmp.resolve("renewed.key");
        issued.write(crt, key);
        TestPki.Result r = openssl("verify", "-CAfile", TestPki.rsa().caCert().toString(), crt.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(text(crt)).contains("DNS:renewed.example");
        assertThat(issued.toString()).contains("etcd server").doesNotContain("PRIVATE");
    }

    @Test
    void aLeafCertificateCannotActAsCa() {
        PkiFiles pki = TestPki.rsa();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> CertificateAuthority.load(pki.serverCert(), pki.serverKey()))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("is not a CA certificate")
                .hasMessageContaining("pass the CA certificate");
    }

    private static String text(Path cert) {
        TestPki.Result r = openssl("x509", "-in", cert.toString(), "-text", "-noout");
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }
}
