package io.e2d.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecretKeysTest {
    static final Path VECTORS = Path.of(System.getProperty("e2d.vectors.dir"), "e2d-snapshot");

    @Test
    void snapshotKeyMatchesGoE2dVector() throws Exception {
        byte[] expected = HexFormat.of()
                .parseHex(Files.readString(VECTORS.resolve("key.hex")).strip());
        byte[] key = SecretKeys.fromCaKey(VECTORS.resolve("ca.key"));
        assertThat(key).hasSize(SecretKeys.KEY_LENGTH).isEqualTo(expected);
        assertThat(SecretKeys.fromCaKeyPem(Files.readString(VECTORS.resolve("ca.key"))))
                .isEqualTo(expected);
    }

    @Test
    void gossipKeyIsDistinctDeterministicAndDocumented() throws Exception {
        byte[] snapshotKey = SecretKeys.fromCaKey(VECTORS.resolve("ca.key"));
        byte[] gossip = SecretKeys.gossipKey(snapshotKey);
        assertThat(gossip).hasSize(32).isNotEqualTo(snapshotKey).isEqualTo(SecretKeys.gossipKey(snapshotKey.clone()));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(snapshotKey, "HmacSHA256"));
        assertThat(gossip).isEqualTo(mac.doFinal("e2d-gossip".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> SecretKeys.gossipKey(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 32 bytes, got 16");
    }

    @Test
    void aGeneratedCaKeyDerivesFromItsFirstBlock() throws Exception {
        PkiFiles pki = TestPki.rsa();
        byte[] der = org.bouncycastle.util.encoders.Base64.decode(Files.readString(pki.caKey())
                .replace("-----BEGIN RSA PRIVATE KEY-----", "")
                .replace("-----END RSA PRIVATE KEY-----", "")
                .replaceAll("\\s", ""));
        byte[] expected = java.security.MessageDigest.getInstance("SHA-512/256").digest(der);
        assertThat(SecretKeys.fromCaKey(pki.caKey())).isEqualTo(expected);
        // Another CA key, another derived key.
        assertThat(SecretKeys.fromCaKey(pki.caKey())).isNotEqualTo(SecretKeys.fromCaKey(VECTORS.resolve("ca.key")));
    }

    @Test
    void aCertificateOrGarbageIsNotAKeySource() {
        PkiFiles pki = TestPki.rsa();
        assertThatThrownBy(() -> SecretKeys.fromCaKey(pki.caCert()))
                .isInstanceOf(InvalidPemException.class)
                .hasMessageContaining("expected a private key");
        assertThatThrownBy(() -> SecretKeys.fromCaKeyPem(Pem.encode("RSA PRIVATE KEY", new byte[] {1, 2, 3})))
                .isInstanceOf(InvalidPemException.class);
    }
}
