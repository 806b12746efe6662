package io.e2d.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class E2dbConfigTest {

    @Test
    void defaultsAndCopies() {
        byte[] key = new byte[32];
        E2dbConfig config = E2dbConfig.builder()
                .endpoints("http://127.0.0.1:2379")
                .namespace("/app/billing/")
                .encryptionKey(key)
                .build();
        key[0] = 9; // the config kept its own copy
        assertThat(config.namespace()).isEqualTo("app/billing");
        assertThat(config.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(config.requestTimeout()).isEqualTo(E2dbConfig.DEFAULT_REQUEST_TIMEOUT);
        assertThat(config.encryptionKey().orElseThrow()[0]).isZero();
        assertThat(config.toString()).contains("encryptionKey=<set>").doesNotContain("[B");
        assertThat(config.toBuilder().pageSize(7).build().pageSize()).isEqualTo(7);
        assertThat(config.isTls()).isFalse();
    }

    @Test
    void invalidSettingsSayWhatToChange() {
        assertThatThrownBy(
                        () -> E2dbConfig.builder().encryptionKey(new byte[16]).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes (AES-256), got 16");
        assertThatThrownBy(
                        () -> E2dbConfig.builder().endpoints("127.0.0.1:2379").build())
                .hasMessageContaining("http://host:port");
        assertThatThrownBy(() -> E2dbConfig.builder().namespace("a b").build()).hasMessageContaining("namespace");
        assertThatThrownBy(() -> E2dbConfig.builder().pageSize(500).build()).hasMessageContaining("1 to 128, got 500");
        assertThatThrownBy(
                        () -> E2dbConfig.builder().requestTimeout(Duration.ZERO).build())
                .hasMessageContaining("requestTimeout must be positive");
        assertThatThrownBy(() -> E2dbConfig.builder()
                        .endpoints("http://10.0.0.1:2379")
                        .tls(Path.of("ca.crt"), Path.of("c.crt"), Path.of("c.key"))
                        .build())
                .hasMessageContaining("must use https://");
        assertThatThrownBy(() -> E2db.connect(E2dbConfig.builder().build())).hasMessageContaining("endpoints is empty");
    }
}
