package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EtcdVersionTest {
    @Test
    void parsesVersionOutputOfEachRelease() {
        assertThat(EtcdVersion.fromVersionOutput("etcd Version: 3.4.23\nGit SHA: Not provided\nGo Version: go1.19.8"))
                .contains(new EtcdVersion(3, 4, 23));
        assertThat(EtcdVersion.fromVersionOutput("etcd Version: 3.5.17\nGit SHA: 507c0de\n"))
                .contains(new EtcdVersion(3, 5, 17));
        assertThat(EtcdVersion.fromVersionOutput("etcd Version: 3.6.4\nGit SHA: 5400cdc\nGo Version: go1.23.11"))
                .contains(new EtcdVersion(3, 6, 4));
        assertThat(EtcdVersion.fromVersionOutput("something else")).isEmpty();
    }

    @Test
    void comparesAndChecksSupport() {
        assertThat(EtcdVersion.parse("v3.5").isAtLeast(EtcdVersion.V3_5)).isTrue();
        assertThat(EtcdVersion.parse("3.4.30").isAtLeast(EtcdVersion.V3_5)).isFalse();
        assertThat(EtcdVersion.parse("3.6.0").isAtLeast(EtcdVersion.V3_6)).isTrue();
        assertThat(EtcdVersion.parse("3.3.27").isSupported()).isFalse();
        assertThat(EtcdVersion.parse("3.7.0").isSupported()).isTrue();
        assertThat(EtcdVersion.parse("4.0.0").isSupported()).isFalse();
        assertThat(EtcdVersion.parse("3.4.23")).hasToString("3.4.23");
        assertThatThrownBy(() -> EtcdVersion.parse("three")).hasMessageContaining("such as 3.5.17");
    }
}
