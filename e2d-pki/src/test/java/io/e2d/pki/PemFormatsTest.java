package io.e2d.pki;

import static io.e2d.pki.TestPki.openssl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.pki.internal.Der;
import io.e2d.pki.internal.Keys;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK-only PEM and key code against what BouncyCastle (which e2d used before) writes and reads: key files
 * must stay byte for byte the same (the snapshot key derives from them), and every key format must read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PemFormatsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;

    @Test
    void certificateAndKeyPemAreByteForByteWhatBouncyCastleWrote() throws Exception {
        PkiFiles pki = TestPki.rsa();
        var cert = Pem.readCertificate(pki.caCert());
        assertThat(Pem.certificatePem(cert)).isEqualTo(bouncyCastlePem("CERTIFICATE", cert.getEncoded()));
        assertThat(Pem.certificatePem(cert)).isEqualTo(Files.readString(pki.caCert()));

        KeyPair rsa = new KeyPair(cert.getPublicKey(), Pem.readPrivateKey(pki.caKey()));
        assertThat(Pem.privateKeyPem(rsa)).isEqualTo(bouncyCastlePrivateKeyPem(rsa));
        assertThat(Pem.privateKeyPem(rsa)).isEqualTo(Files.readString(pki.caKey()));
        assertThat(Pem.pkcs8PrivateKeyPem(rsa.getPrivate()))
                .isEqualTo(bouncyCastlePem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
    }

    @Test
    void ecKeysAreWrittenAsBouncyCastleDidOnEveryCurveAndWithAShortPrivateValue() throws Exception {
        for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
            KeyPair pair = Keys.ec(curve, RANDOM);
            assertThat(Pem.privateKeyPem(pair)).as(curve).isEqualTo(bouncyCastlePrivateKeyPem(pair));
            assertSameEcKey(Pem.parsePrivateKey(Pem.privateKeyPem(pair)), pair.getPrivate());
        }
        // A private value with a leading zero byte must be padded to the order's length (1 key in 256).
        KeyPair shortValue = null;
        for (int i = 0; i < 20_000 && shortValue == null; i++) {
            KeyPair p = Keys.ec("secp256r1", RANDOM);
            if (((ECPrivateKey) p.getPrivate()).getS().bitLength() <= 248) {
                shortValue = p;
            }
        }
        assertThat(shortValue).as("a P-256 key with a short private value").isNotNull();
        String pem = Pem.privateKeyPem(shortValue);
        assertThat(pem).isEqualTo(bouncyCastlePrivateKeyPem(shortValue));
        assertSameEcKey(Pem.parsePrivateKey(pem), shortValue.getPrivate());
        Path file = tmp.resolve("short.key");
        Files.writeString(file, pem);
        TestPki.Result r = openssl("ec", "-in", file.toString(), "-check", "-noout");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void everyFormatReadsToTheKeyBouncyCastleReads() throws Exception {
        PkiFiles pki = TestPki.rsa();
        KeyPair ec = Keys.ec("secp256r1", RANDOM);
        PrivateKey rsa = Pem.readPrivateKey(pki.caKey());
        for (PrivateKey key : new PrivateKey[] {rsa, ec.getPrivate()}) {
            String pkcs8 = Pem.pkcs8PrivateKeyPem(key);
            PrivateKey read = Pem.parsePrivateKey(pkcs8);
            assertThat(read).isEqualTo(key);
            assertThat(read.getEncoded())
                    .isEqualTo(new JcaPEMKeyConverter()
                            .getPrivateKey(PrivateKeyInfo.getInstance(key.getEncoded()))
                            .getEncoded());
        }
        assertSameEcKey(Pem.parsePrivateKey(Pem.privateKeyPem(ec)), ec.getPrivate());
        // The snapshot key reads PKCS#8 and SEC1 too, from the block bytes as stored.
        Path pkcs8File = tmp.resolve("ca.pkcs8.key");
        Files.writeString(pkcs8File, Pem.pkcs8PrivateKeyPem(rsa));
        assertThat(SecretKeys.fromCaKey(pkcs8File))
                .isEqualTo(
                        java.security.MessageDigest.getInstance("SHA-512/256").digest(rsa.getEncoded()));
    }

    @Test
    void keysOfOtherAlgorithmsAreRefusedByName() {
        Path ed = tmp.resolve("ed25519.key");
        assertThat(openssl("genpkey", "-algorithm", "ed25519", "-out", ed.toString())
                        .exitCode())
                .isZero();
        assertThatThrownBy(() -> Pem.readPrivateKey(ed))
                .isInstanceOfSatisfying(
                        InvalidPemException.class, e -> assertThat(e.file()).contains(ed))
                .hasMessage(ed + ": key algorithm must be RSA or EC (ECDSA), found Ed25519 (OID 1.3.101.112);"
                        + " generate an RSA or ECDSA key");
        byte[] unknown = Der.sequence(
                Der.integer(BigInteger.ZERO), Der.sequence(Der.oid("1.2.3.4")), Der.octetString(new byte[] {1}));
        assertThatThrownBy(() -> Pem.parsePrivateKey(Pem.encode("PRIVATE KEY", unknown)))
                .isInstanceOf(InvalidPemException.class)
                .hasMessage("PEM input: key algorithm must be RSA or EC (ECDSA), found OID 1.2.3.4; generate an RSA"
                        + " or ECDSA key");
    }

    @Test
    void corruptOrMislabelledKeyDerGivesTheCorruptKeyMessage() throws Exception {
        PkiFiles pki = TestPki.rsa();
        PrivateKey rsa = Pem.readPrivateKey(pki.caKey());
        KeyPair ec = Keys.ec("secp256r1", RANDOM);
        byte[] pkcs1 = pemContent(
                Pem.privateKeyPem(new KeyPair(Pem.readCertificate(pki.caCert()).getPublicKey(), rsa)));
        byte[] sec1 = pemContent(Pem.privateKeyPem(ec));
        byte[] rsaPkcs8 = rsa.getEncoded();
        String[][] cases = {
            {"RSA PRIVATE KEY", hex(Arrays.copyOf(pkcs1, pkcs1.length - 7)), "is truncated"},
            {"EC PRIVATE KEY", hex(Arrays.copyOf(sec1, sec1.length - 3)), "is truncated"},
            {"PRIVATE KEY", hex(Arrays.copyOf(rsaPkcs8, rsaPkcs8.length / 2)), "is truncated"},
            {"PRIVATE KEY", hex(concat(rsaPkcs8, new byte[] {0})), "trailing byte"},
            {"RSA PRIVATE KEY", "3080020100000000", "indefinite length"},
            {"RSA PRIVATE KEY", hex(sec1), ""}, // an EC key labelled RSA
            {"EC PRIVATE KEY", hex(pkcs1), "the SEC1 version must be 1"},
            {"PRIVATE KEY", hex(pkcs1), "expected the PKCS#8 AlgorithmIdentifier"},
            // PKCS#8 saying rsaEncryption around an EC key
            {
                "PRIVATE KEY",
                hex(Der.sequence(
                        Der.integer(BigInteger.ZERO),
                        Der.sequence(Der.oid("1.2.840.113549.1.1.1"), Der.nullElement()),
                        Der.octetString(sec1))),
                ""
            },
        };
        for (String[] c : cases) {
            String type = c[0];
            assertThatThrownBy(() -> Pem.parsePrivateKey(
                            Pem.encode(type, java.util.HexFormat.of().parseHex(c[1]))))
                    .as("%s %s", type, c[2])
                    .isInstanceOf(InvalidPemException.class)
                    .hasMessageStartingWith("PEM input: the " + type + " block is not a valid key (")
                    .hasMessageContaining(c[2])
                    .hasMessageEndingWith("); the file is corrupt, regenerate or restore it");
        }
    }

    @Test
    void aSec1KeyWithoutCurveIsRefusedWithTheFix() throws Exception {
        ECPrivateKey key = (ECPrivateKey) Keys.ec("secp256r1", RANDOM).getPrivate();
        byte[] noCurve = Der.sequence(
                Der.integer(BigInteger.ONE), Der.octetString(key.getS().toByteArray()));
        Path file = tmp.resolve("nocurve.key");
        Files.writeString(file, Pem.encode("EC PRIVATE KEY", noCurve));
        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(InvalidPemException.class)
                .hasMessage(file + ": the EC PRIVATE KEY names no curve; rewrite it with"
                        + " `openssl ec -in KEY -out KEY.new -param_enc named_curve`");
        assertThatThrownBy(() -> SecretKeys.fromCaKey(file)).hasMessageContaining("names no curve");
    }

    @Test
    void traditionalEncryptedKeysAreRecognisedByTheirHeaders() throws Exception {
        Path plain = tmp.resolve("ec.key");
        Path encrypted = tmp.resolve("ec.enc.key");
        assertThat(openssl("ecparam", "-genkey", "-noout", "-name", "prime256v1", "-out", plain.toString())
                        .exitCode())
                .isZero();
        TestPki.Result r = openssl(
                "ec", "-in", plain.toString(), "-aes128", "-passout", "pass:secret", "-out", encrypted.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(Files.readString(encrypted))
                .contains("Proc-Type: 4,ENCRYPTED")
                .contains("DEK-Info:");
        assertThatThrownBy(() -> Pem.readPrivateKey(encrypted))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("holds an encrypted private key")
                .hasMessageContaining("openssl pkey");
        // Informational headers on an unencrypted block, text around it and CRLF line ends are fine.
        String withHeaders = "Bag Attributes\r\n    friendlyName: e2d\r\n"
                + Files.readString(plain)
                        .replace("-----\n", "-----\nComment: made by a test\n\n")
                        .replace("\n", "\r\n");
        assertThat(Pem.parsePrivateKey(withHeaders)).isEqualTo(Pem.readPrivateKey(plain));
    }

    /** EC keys read from SEC1 keep SEC1's extra fields in their encoding: compare value and curve. */
    private static void assertSameEcKey(PrivateKey actual, PrivateKey expected) {
        ECPrivateKey a = (ECPrivateKey) actual;
        ECPrivateKey e = (ECPrivateKey) expected;
        assertThat(a.getS()).isEqualTo(e.getS());
        assertThat(a.getParams().toString()).isEqualTo(e.getParams().toString());
    }

    private static byte[] pemContent(String pem) {
        return java.util.Base64.getMimeDecoder()
                .decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String bouncyCastlePem(String type, byte[] der) throws Exception {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    /** What Pem.privateKeyPem wrote when it used BouncyCastle. */
    private static String bouncyCastlePrivateKeyPem(KeyPair keyPair) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
        if (keyPair.getPrivate().getAlgorithm().equals("RSA")) {
            return bouncyCastlePem(
                    "RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
        }
        org.bouncycastle.asn1.sec.ECPrivateKey inner =
                org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
        DERBitString publicKey = new DERBitString(
                SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded())
                        .getPublicKeyData()
                        .getBytes());
        int orderBits =
                ((ECPrivateKey) keyPair.getPrivate()).getParams().getOrder().bitLength();
        return bouncyCastlePem(
                "EC PRIVATE KEY",
                new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, inner.getKey(), publicKey, curve).getEncoded());
    }
}
