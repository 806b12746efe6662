package io.e2d.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PeerDiscoveriesTest {
    @Test
    void bootstrapAddrsTakeAnOptionalPort() {
        List<PeerAddress> peers = PeerDiscoveries.forBootstrapAddrs(
                        "10.0.2.15, 10.0.2.17:7981,http://node-c.example:7980,[fd00::1],[fd00::2]:9000,10.0.2.15",
                        DiscoveryOptions.defaults())
                .discover();

        assertThat(peers)
                .containsExactly(
                        new PeerAddress("10.0.2.15", 7980),
                        new PeerAddress("10.0.2.17", 7981),
                        new PeerAddress("fd00::1", 7980),
                        new PeerAddress("fd00::2", 9000),
                        new PeerAddress("node-c.example", 7980));
    }

    @Test
    void theDefaultPortIsConfigurable() {
        assertThat(PeerDiscoveries.forSpec(
                                "static:127.0.0.1",
                                DiscoveryOptions.builder().defaultPort(17980).build())
                        .discover())
                .containsExactly(new PeerAddress("127.0.0.1", 17980));
    }

    @Test
    void badAddressesAreRejectedWithTheExpectedForm() {
        assertThatThrownBy(() -> PeerDiscoveries.forBootstrapAddrs("10.0.0.1:http", DiscoveryOptions.defaults()))
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("host[:port]")
                .hasMessageContaining("10.0.0.1:http");
        assertThatThrownBy(() -> PeerDiscoveries.forBootstrapAddrs("10.0.0.1:70000", DiscoveryOptions.defaults()))
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> PeerDiscoveries.forBootstrapAddrs(" , ", DiscoveryOptions.defaults()))
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("--bootstrap-addrs");
    }

    @Test
    void unknownMethodListsTheKnownOnes() {
        assertThatThrownBy(() -> PeerDiscoveries.forSpec("k8s-labels:app=etcd"))
                .isInstanceOfSatisfying(UnknownDiscoveryMethodException.class, e -> {
                    assertThat(e.method()).isEqualTo("k8s-labels");
                    assertThat(e.knownMethods())
                            .containsExactly("static", "aws-autoscaling-group", "ec2-tags", "do-tags", "dns");
                })
                .hasMessageContaining("k8s-labels")
                .hasMessageContaining("ec2-tags");
    }

    @Test
    void methodIsCaseInsensitiveAndTheArgumentKeepsItsCase() {
        PeerDiscovery d = PeerDiscoveries.forSpec("EC2-Tags:Role=Etcd, Env=Prod");

        assertThat(d.spec().method()).isEqualTo("ec2-tags");
        assertThat(d.spec().pairs()).containsExactly(Map.entry("Role", "Etcd"), Map.entry("Env", "Prod"));
        assertThat(d.spec()).hasToString("ec2-tags:Role=Etcd, Env=Prod");
    }

    @Test
    void autoScalingGroupTakesNoArgument() {
        assertThatThrownBy(() -> PeerDiscoveries.forSpec("aws-autoscaling-group:etcd"))
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("takes no argument");
    }

    @Test
    void optionsNeverShowSecrets() {
        DiscoveryOptions o = DiscoveryOptions.builder()
                .doAccessToken("dop_v1_secret")
                .awsCredentials("AKIDEXAMPLE", "very-secret")
                .build();

        assertThat(o.toString()).doesNotContain("dop_v1_secret", "very-secret", "AKIDEXAMPLE");
        assertThatThrownBy(() ->
                        DiscoveryOptions.builder().awsCredentials("AKID", "").build())
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("--aws-secret-key");
    }
}
