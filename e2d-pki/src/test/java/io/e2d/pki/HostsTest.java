package io.e2d.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostsTest {
    @Test
    void normalizeDeduplicatesIpsByAddressAndNamesCaseInsensitively() {
        assertThat(Hosts.normalize(List.of(
                        " Node-1.Example.com. ",
                        "node-1.example.com",
                        "::1",
                        "0:0:0:0:0:0:0:1",
                        "[::1]",
                        "",
                        "10.0.0.1",
                        "10.0.0.1",
                        "*.svc.local")))
                .containsExactly("node-1.example.com", "0:0:0:0:0:0:0:1", "10.0.0.1", "*.svc.local");
    }

    @Test
    void withDefaultsAppendsLoopbackLocalhostAndHostAddressOnce() {
        List<String> hosts = Hosts.withDefaults(List.of("localhost", "a.example", "127.0.0.1"));
        List<String> expected = new java.util.ArrayList<>(List.of("localhost", "a.example", "127.0.0.1"));
        Hosts.detectHostAddress().filter(ip -> !expected.contains(ip)).ifPresent(expected::add);
        assertThat(hosts).containsExactlyElementsOf(expected);
        assertThat(Hosts.withDefaults(List.of())).startsWith("127.0.0.1", "localhost");
    }

    @Test
    void detectedHostAddressIsARoutableIpv4() {
        Hosts.detectHostAddress().ifPresent(ip -> {
            assertThat(ip)
                    .matches("\\d+\\.\\d+\\.\\d+\\.\\d+")
                    .doesNotStartWith("127.")
                    .doesNotStartWith("169.254.");
        });
    }

    @Test
    void ipLiteralsAreRecognisedWithoutLookups() {
        assertThat(Hosts.isIpAddress("10.0.0.1")).isTrue();
        assertThat(Hosts.isIpAddress("fe80::1")).isTrue();
        assertThat(Hosts.isIpAddress("256.1.1.1")).isFalse();
        assertThat(Hosts.isIpAddress("example.com")).isFalse();
        assertThat(Hosts.isIpAddress("10.0.0")).isFalse();
    }

    @Test
    void invalidHostsAreRejectedWithTheFix() {
        assertThatThrownBy(() -> Hosts.normalize(List.of("host:2379")))
                .isInstanceOf(PkiException.class)
                .hasMessage("host 'host:2379' is neither an IP address nor a valid DNS name;"
                        + " pass IPs like 10.0.0.5 or names like etcd-0.example.com");
        assertThatThrownBy(() -> Hosts.normalize(List.of("a b"))).isInstanceOf(PkiException.class);
        assertThatThrownBy(() -> Hosts.normalize(List.of("-bad.example"))).isInstanceOf(PkiException.class);
    }
}
