package io.e2d.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PemSslTest {
    @Test
    void readsAPkcs1RsaKey() throws IOException {
        Path key = Path.of(System.getProperty("e2d.vectors.dir", "test-vectors"), "e2d-snapshot", "ca.key");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        PrivateKey k = PemSsl.readPrivateKey(key);
        assertThat(k.getAlgorithm()).isEqualTo("RSA");
        assertThat(k.getFormat()).isEqualTo("PKCS#8");
    }

    @Test
    void saysWhenAFileHasNoKey(@TempDir Path tmp) throws IOException {
        Path empty = Files.writeString(tmp.resolve("x.pem"), "nothing here\n");
        assertThatThrownBy(() -> PemSsl.readPrivateKey(empty))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no unencrypted private key found in " + empty);
    }
}
