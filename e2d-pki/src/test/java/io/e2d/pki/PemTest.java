package io.e2d.pki;

import static io.e2d.pki.TestPki.openssl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PemTest {
    @TempDir
    Path tmp;

    @Test
    void caLoadsWithItsKeyAsPkcs1Pkcs8AndTraditionalOpensslOutput() throws Exception {
        PkiFiles pki = TestPki.rsa();
        Path pkcs8 = tmp.resolve("ca.pkcs8.key");
        TestPki.Result r =
                openssl("pkcs8", "-topk8", "-nocrypt", "-in", pki.caKey().toString(), "-out", pkcs8.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(Files.readString(pkcs8)).startsWith("-----BEGIN PRIVATE KEY-----");

        CertificateAuthority fromPkcs1 = CertificateAuthority.load(pki.caCert(), pki.caKey());
        CertificateAuthority fromPkcs8 = CertificateAuthority.load(pki.caCert(), pkcs8);
        assertThat(fromPkcs8.privateKeyPem()).isEqualTo(fromPkcs1.privateKeyPem());
        // Written back as PKCS#1, byte for byte what openssl writes for the same key.
        Path traditional = tmp.resolve("ca.traditional.key");
        assertThat(openssl("rsa", "-traditional", "-in", pkcs8.toString(), "-out", traditional.toString())
                        .exitCode())
                .isZero();
        assertThat(fromPkcs8.privateKeyPem()).isEqualTo(Files.readString(traditional));
        assertThat(fromPkcs8.privateKeyPem()).isEqualTo(Files.readString(pki.caKey()));
    }

    @Test
    void opensslEcKeysLoadAsSec1WithParametersAndAsPkcs8() {
        Path sec1 = tmp.resolve("ec.key");
        Path pkcs8 = tmp.resolve("ec.pkcs8.key");
        Path cert = tmp.resolve("ec.crt");
        // ecparam -genkey writes an "EC PARAMETERS" block before the key.
        assertThat(openssl("ecparam", "-genkey", "-name", "prime256v1", "-out", sec1.toString())
                        .exitCode())
                .isZero();
        assertThat(openssl("pkcs8", "-topk8", "-nocrypt", "-in", sec1.toString(), "-out", pkcs8.toString())
                        .exitCode())
                .isZero();
        TestPki.Result r = openssl(
                "req",
                "-x509",
                "-new",
                "-key",
                sec1.toString(),
                "-subj",
                "/CN=openssl-ca",
                "-days",
                "2",
                "-out",
                cert.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();

        CertificateAuthority a = CertificateAuthority.load(cert, sec1);
        CertificateAuthority b = CertificateAuthority.load(cert, pkcs8);
        assertThat(a.keyType()).isEqualTo(KeyType.ECDSA_P256);
        assertThat(((java.security.interfaces.ECPrivateKey) Pem.readPrivateKey(sec1)).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) Pem.readPrivateKey(pkcs8)).getS());
        // An openssl-made CA issues certificates that openssl verifies.
        IssuedCertificate leaf = b.issue(CertificateProfile.PEER, java.util.List.of("127.0.0.1"));
        Path leafFile = tmp.resolve("leaf.crt");
        leaf.write(leafFile, tmp.resolve("leaf.key"));
        TestPki.Result v = openssl("verify", "-CAfile", cert.toString(), leafFile.toString());
        assertThat(v.exitCode()).as(v.output()).isZero();
        assertThat(a.certificate()).isEqualTo(b.certificate());
    }

    @Test
    void aKeyFromAnotherPairIsRejected() {
        PkiFiles pki = TestPki.rsa();
        assertThatThrownBy(() -> CertificateAuthority.load(pki.caCert(), pki.serverKey()))
                .isInstanceOfSatisfying(KeyMismatchException.class, e -> {
                    assertThat(e.certificateFile()).contains(pki.caCert());
                    assertThat(e.keyFile()).contains(pki.serverKey());
                })
                .hasMessageContaining("does not match the certificate " + pki.caCert())
                .hasMessageContaining("pass the matching pair");
    }

    @Test
    void tlsChecksLeafPairsAndBuildsManagersFromPkcs1Keys() throws Exception {
        PkiFiles pki = TestPki.rsa();
        Tls.checkKeyPair(pki.peerCert(), pki.peerKey());
        assertThatThrownBy(() -> Tls.checkKeyPair(pki.peerCert(), pki.clientKey()))
                .isInstanceOf(KeyMismatchException.class)
                .hasMessage("the private key " + pki.clientKey() + " does not match the certificate " + pki.peerCert()
                        + " (subject CN=etcd peer,O=e2d): expected the key the certificate was made for;"
                        + " pass the matching pair");
        assertThatThrownBy(() -> Tls.keyManagers(pki.serverCert(), pki.peerKey()))
                .isInstanceOf(KeyMismatchException.class);
        var km = (javax.net.ssl.X509KeyManager)
                Tls.keyManagers(pki.peerCert(), pki.peerKey()).getKeyManagers()[0];
        assertThat(km.getCertificateChain("e2d")[0]).isEqualTo(Pem.readCertificate(pki.peerCert()));
        var tm =
                (javax.net.ssl.X509TrustManager) Tls.trustManagers(pki.caCert()).getTrustManagers()[0];
        assertThat(tm.getAcceptedIssuers()).containsExactly(Pem.readCertificate(pki.caCert()));
    }

    @Test
    void aKeyOfAnotherAlgorithmIsRejectedAsMismatch() {
        PkiFiles pki = TestPki.rsa();
        Path ec = tmp.resolve("ec.key");
        Files.exists(ec);
        assertThat(openssl("ecparam", "-genkey", "-noout", "-name", "prime256v1", "-out", ec.toString())
                        .exitCode())
                .isZero();
        assertThatThrownBy(() -> CertificateAuthority.load(pki.caCert(), ec)).isInstanceOf(KeyMismatchException.class);
    }

    @Test
    void corruptPemIsRejectedWithAClearMessage() throws Exception {
        PkiFiles pki = TestPki.rsa();
        String good = Files.readString(pki.caKey());

        Path garbled =
                write("garbled.key", good.replace(good.substring(100, 140), "!!!!not*base64!!!!!!!!!!!!!!!!!!!!!!!!!"));
        assertThatThrownBy(() -> Pem.readPrivateKey(garbled))
                .isInstanceOfSatisfying(
                        InvalidPemException.class, e -> assertThat(e.file()).contains(garbled))
                .hasMessageContaining(garbled.toString())
                .hasMessageContaining("corrupt");

        Path truncated = write("truncated.key", good.substring(0, good.length() / 2));
        assertThatThrownBy(() -> Pem.readPrivateKey(truncated))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("not valid PEM")
                .hasMessageContaining("truncated");

        // Valid base64, wrong ASN.1 inside.
        Path badAsn1 = write(
                "bad-asn1.key", Pem.encode("RSA PRIVATE KEY", "not a key at all".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> Pem.readPrivateKey(badAsn1))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("RSA PRIVATE KEY block is not a valid key");

        Path empty = write("empty.crt", "");
        assertThatThrownBy(() -> Pem.readCertificate(empty))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("contains no PEM block")
                .hasMessageContaining("empty");

        Path der = tmp.resolve("ca.der");
        Files.write(der, Pem.readCertificate(pki.caCert()).getEncoded());
        assertThatThrownBy(() -> Pem.readCertificate(der))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("binary DER");

        byte[] certDer = Pem.readCertificate(pki.caCert()).getEncoded();
        Path badCert =
                write("bad.crt", Pem.encode("CERTIFICATE", java.util.Arrays.copyOf(certDer, certDer.length / 2)));
        assertThatThrownBy(() -> Pem.readCertificate(badCert))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("not a valid X.509 certificate");
    }

    @Test
    void swappedCertificateAndKeyFilesAreNamed() {
        PkiFiles pki = TestPki.rsa();
        assertThatThrownBy(() -> CertificateAuthority.load(pki.caKey(), pki.caCert()))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("expected a CERTIFICATE, found RSA PRIVATE KEY")
                .hasMessageContaining("not the key");
        assertThatThrownBy(() -> Pem.readPrivateKey(pki.caCert()))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("found CERTIFICATE")
                .hasMessageContaining("not the certificate");
    }

    @Test
    void encryptedKeysAreRejectedWithTheFix() {
        PkiFiles pki = TestPki.rsa();
        Path enc = tmp.resolve("enc.key");
        TestPki.Result r = openssl(
                "pkcs8",
                "-topk8",
                "-in",
                pki.clientKey().toString(),
                "-passout",
                "pass:secret",
                "-out",
                enc.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThatThrownBy(() -> Pem.readPrivateKey(enc))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("encrypted private key")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    void missingFilesAndDirectoriesAreFileErrors() {
        Path missing = tmp.resolve("nope.crt");
        assertThatThrownBy(() -> Pem.readCertificate(missing))
                .isInstanceOfSatisfying(
                        PkiFileException.class, e -> assertThat(e.file()).isEqualTo(missing))
                .hasMessage("certificate file " + missing + " does not exist; check the path");
        assertThatThrownBy(() -> CertificateAuthority.load(TestPki.rsa().caCert(), tmp))
                .isInstanceOf(PkiFileException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void certificateChainsAreReadInOrder() throws Exception {
        PkiFiles pki = TestPki.rsa();
        Path chain = write("chain.pem", Files.readString(pki.serverCert()) + Files.readString(pki.caCert()));
        var certs = Pem.readCertificates(chain);
        assertThat(certs).hasSize(2);
        assertThat(certs.get(0)).isEqualTo(Pem.readCertificate(pki.serverCert()));
        assertThat(certs.get(1)).isEqualTo(Pem.readCertificate(pki.caCert()));
        assertThat(Pem.parseCertificates(Files.readString(chain))).isEqualTo(certs);
    }

    private Path write(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }
}
