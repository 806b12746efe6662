package io.e2d.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.discovery.PeerAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ManagerConfigTest {
    ManagerConfig.Builder valid() {
        return ManagerConfig.builder().dataDir(Path.of("d"));
    }

    @Test
    void defaults_matchGoE2d() {
        ManagerConfig c = valid().build();
        assertThat(c.requiredClusterSize()).isEqualTo(1);
        assertThat(c.healthCheckTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.bootstrapTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.snapshotInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.name()).isEmpty();
        assertThat(valid().requiredClusterSize(0).build().requiredClusterSize()).isEqualTo(1);
    }

    @Test
    void clusterSize_mustBe1_3or5() {
        assertThatThrownBy(() -> valid().requiredClusterSize(4).build())
                .isInstanceOf(InvalidManagerConfigException.class)
                .hasMessage("--required-cluster-size must be 1, 3 or 5, got 4");
    }

    @Test
    void clusterOfThree_needsSeeds() {
        assertThatThrownBy(() -> valid().requiredClusterSize(3).build()).hasMessageContaining("--bootstrap-addrs");
        assertThat(valid().requiredClusterSize(3)
                        .bootstrapAddresses(List.of(new PeerAddress("10.0.0.2", 7980)))
                        .build()
                        .bootstrapAddresses())
                .hasSize(1);
    }

    @Test
    void badValues_sayWhatToChange() {
        assertThatThrownBy(() -> valid().name("bad name").build()).hasMessageContaining("--name");
        assertThatThrownBy(() ->
                        valid().clientUrl(URI.create("http://0.0.0.0:2379")).build())
                .hasMessageContaining("0.0.0.0");
        assertThatThrownBy(() ->
                        valid().peerUrl(URI.create("http://127.0.0.1:2379")).build())
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> valid().healthCheckTimeout(Duration.ZERO).build())
                .hasMessageContaining("--health-check-timeout");
        assertThatThrownBy(() ->
                        valid().clientUrl(URI.create("https://127.0.0.1:2379")).build())
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> valid().heartbeatInterval(Duration.ofMillis(100))
                        .electionTimeout(Duration.ofMillis(200))
                        .build())
                .hasMessageContaining("5 heartbeat");
    }

    @Test
    void toBuilder_copiesEverything() {
        ManagerConfig c = valid().name("n1")
                .requiredClusterSize(3)
                .bootstrapAddresses(List.of(new PeerAddress("h", 1)))
                .healthCheckTimeout(Duration.ofSeconds(5))
                .fastElections()
                .build();
        ManagerConfig copy = c.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(c.toString());
        assertThat(copy.electionTimeout()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void managerBuilder_takesAGossipOrAGossipFactory_notBoth() {
        InMemoryGossipNetwork network = new InMemoryGossipNetwork();
        ManagerConfig config = valid().requiredClusterSize(3)
                .bootstrapAddresses(List.of(new PeerAddress("127.0.0.1", 1)))
                .build();
        URI url = URI.create("http://127.0.0.1:1");
        assertThatThrownBy(() -> EtcdManager.builder(config)
                        .resolvedName("n1")
                        .gossip(network.join("n1", url, url))
                        .gossipFactory(() -> network.join("n1", url, url))
                        .build())
                .isInstanceOf(InvalidManagerConfigException.class)
                .hasMessageContaining("not both");
        int[] made = {0};
        try (EtcdManager m = EtcdManager.builder(config)
                .resolvedName("n2")
                .gossipFactory(() -> {
                    made[0]++;
                    return network.join("n2", url, url);
                })
                .build()) {
            // the factory's first gossip layer is made at build time; restartEtcd() makes the next ones
            assertThat(made[0]).isEqualTo(1);
            assertThat(m.name()).isEqualTo("n2");
        }
    }
}
