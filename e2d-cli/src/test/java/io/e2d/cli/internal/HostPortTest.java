package io.e2d.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class HostPortTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:2379, 127.0.0.1, 2379",
        ":2379, 127.0.0.1, 2379",
        "0.0.0.0:2380, 0.0.0.0, 2380",
        "10.0.2.15, 10.0.2.15, 0",
        "node-1.example.com:7980, node-1.example.com, 7980",
        "http://10.0.0.5:2379, 10.0.0.5, 2379",
        "https://10.0.0.5:2379/, 10.0.0.5, 2379",
        "'[::1]:2379', ::1, 2379",
        "'[fe80::1]', fe80::1, 0"
    })
    void parses(String text, String host, int port) {
        HostPort parsed = HostPort.parse(text);
        assertThat(parsed.host()).isEqualTo(host);
        assertThat(parsed.port()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:x", "host:70000", "::1:2379", "[::1", "[::1]x", "a b:1", "a/b:1", "host:-1"})
    void refusesWithTheExpectedForm(String text) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid address \"" + text + "\"")
                .hasMessageEndingWith("expected host:port, e.g. 127.0.0.1:2379");
    }

    @Test
    void defaultPortOnlyReplacesZero() {
        assertThat(HostPort.parse("10.0.2.15").withDefaultPort(7980)).isEqualTo(new HostPort("10.0.2.15", 7980));
        assertThat(HostPort.parse("10.0.2.15:1234").withDefaultPort(7980).port())
                .isEqualTo(1234);
        assertThat(HostPort.parse(":0").withDefaultPort(2379)).isEqualTo(new HostPort("127.0.0.1", 2379));
    }

    @Test
    void urlsBracketIpv6() {
        assertThat(new HostPort("::1", 2379).toUrl("https")).isEqualTo("https://[::1]:2379");
        assertThat(new HostPort("127.0.0.1", 2379).toUrl("http")).isEqualTo("http://127.0.0.1:2379");
        assertThat(HostPort.parse("0.0.0.0:1").isWildcard()).isTrue();
        assertThat(HostPort.parse("localhost:1").isLoopback()).isTrue();
    }
}
