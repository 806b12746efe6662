package io.e2d.discovery.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.discovery.DiscoveryApiException;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.InvalidDiscoverySpecException;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.PeerDiscoveries;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code dns:} through JNDI DNS against {@link FakeDnsServer} on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DnsDiscoveryIT {
    private final FakeDnsServer dns = new FakeDnsServer();

    @AfterEach
    void close() {
        dns.close();
    }

    private List<PeerAddress> discover(String spec) {
        DiscoveryOptions options = DiscoveryOptions.builder()
                .dnsServer(new PeerAddress("127.0.0.1", dns.port()))
                .timeout(Duration.ofSeconds(3))
                .build();
        return PeerDiscoveries.forSpec(spec, options).discover();
    }

    @Test
    void aAndAaaaRecordsGetTheDefaultPortAndLoopbackIsDropped() {
        dns.address("e2d.default.svc.cluster.local", "10.244.1.7");
        dns.address("e2d.default.svc.cluster.local", "10.244.2.9");
        dns.address("e2d.default.svc.cluster.local", "127.0.0.1");
        dns.address("e2d.default.svc.cluster.local", "fd00:10:244::5");

        assertThat(discover("dns:e2d.default.svc.cluster.local"))
                .containsExactly(
                        new PeerAddress("10.244.1.7", 7980),
                        new PeerAddress("10.244.2.9", 7980),
                        new PeerAddress("fd00:10:244:0:0:0:0:5", 7980));
    }

    @Test
    void anExplicitPortIsUsed() {
        dns.address("peers.example", "10.0.0.5");

        assertThat(discover("dns:peers.example:17980")).containsExactly(new PeerAddress("10.0.0.5", 17980));
    }

    @Test
    void srvRecordsGiveTargetsAndPorts() {
        String srv = "_gossip._tcp.e2d.default.svc.cluster.local";
        dns.srv(srv, 0, 50, 7981, "e2d-0.e2d.default.svc.cluster.local.");
        dns.srv(srv, 0, 50, 7982, "e2d-1.e2d.default.svc.cluster.local.");
        dns.address("e2d-0.e2d.default.svc.cluster.local", "10.244.1.7");
        dns.address("e2d-1.e2d.default.svc.cluster.local", "10.244.2.9");

        assertThat(discover("dns:" + srv))
                .containsExactly(new PeerAddress("10.244.1.7", 7981), new PeerAddress("10.244.2.9", 7982));
    }

    @Test
    void anUnknownNameGivesNoPeers() {
        assertThat(discover("dns:nobody.example")).isEmpty();
    }

    @Test
    void aServerFailureIsAnApiError() {
        dns.failing("broken.example");

        assertThatThrownBy(() -> discover("dns:broken.example"))
                .isInstanceOf(DiscoveryApiException.class)
                .hasMessageContaining("lookup of broken.example failed");
    }

    @Test
    void needsOneName() {
        assertThatThrownBy(() -> PeerDiscoveries.forSpec("dns:"))
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("needs one name");
    }
}
