package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EtcdServerConfigTest {
    private static EtcdServerConfig.Builder base() {
        return EtcdServerConfig.builder().name("n1").dataDir(Path.of("data"));
    }

    private static void assertInvalid(UnaryOperator<EtcdServerConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(base()).build())
                .isInstanceOf(InvalidEtcdConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void defaults() {
        EtcdServerConfig c = base().build();
        assertThat(c.listenClientUrls()).containsExactly(EtcdServerConfig.DEFAULT_CLIENT_URL);
        assertThat(c.advertiseClientUrls()).containsExactly(EtcdServerConfig.DEFAULT_CLIENT_URL);
        assertThat(c.advertisePeerUrls()).containsExactly(EtcdServerConfig.DEFAULT_PEER_URL);
        assertThat(c.initialCluster())
                .containsEntry("n1", EtcdServerConfig.DEFAULT_PEER_URL)
                .hasSize(1);
        assertThat(c.initialClusterState()).isEqualTo(InitialClusterState.NEW);
        assertThat(c.startTimeout()).isEqualTo(EtcdServerConfig.DEFAULT_START_TIMEOUT);
        assertThat(c.clientTls()).isEmpty();
        assertThat(c.binary()).isEmpty();
    }

    @Test
    void toBuilderRoundTrips() {
        EtcdServerConfig c = base().fastElections().quotaBackendBytes(1024).build();
        EtcdServerConfig d =
                c.toBuilder().name("n2").initialCluster(java.util.Map.of()).build();
        assertThat(d.name()).isEqualTo("n2");
        assertThat(d.heartbeatInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(d.quotaBackendBytes()).isEqualTo(1024);
        assertThat(d.initialClusterFlag()).isEqualTo("n2=http://127.0.0.1:2380");
    }

    @Test
    void initialClusterIsRenderedSorted() {
        EtcdServerConfig c = base().initialClusterMember("zeta", URI.create("http://10.0.0.3:2380"))
                .initialClusterMember("n1", URI.create("http://127.0.0.1:2380"))
                .initialClusterMember("alpha", URI.create("http://10.0.0.1:2380"))
                .build();
        assertThat(c.initialCluster().keySet()).containsExactly("zeta", "n1", "alpha");
        assertThat(c.initialClusterFlag())
                .isEqualTo("alpha=http://10.0.0.1:2380,n1=http://127.0.0.1:2380,zeta=http://10.0.0.3:2380");
    }

    @Test
    void validationMessagesSayWhatToChange() {
        assertThatThrownBy(
                        () -> EtcdServerConfig.builder().dataDir(Path.of("d")).build())
                .isInstanceOf(InvalidEtcdConfigException.class)
                .hasMessageContaining("name is required");
        assertThatThrownBy(() -> EtcdServerConfig.builder().name("n").build())
                .hasMessageContaining("data dir is required");
        assertInvalid(b -> b.name("a,b"), "member name must be");
        assertInvalid(b -> b.clientUrl(URI.create("https://127.0.0.1:2379")), "uses https but no clientTls is set");
        assertInvalid(
                b -> b.clientTls(TlsFiles.of(Path.of("c"), Path.of("k"))),
                "uses http but clientTls is set: use https://127.0.0.1:2379");
        assertInvalid(b -> b.clientUrl(URI.create("tcp://127.0.0.1:2379")), "must be http://host:port");
        assertInvalid(b -> b.clientUrl(URI.create("http://127.0.0.1")), "must name a host and a port");
        assertInvalid(b -> b.clientUrl(URI.create("http://127.0.0.1:2379/")), "must not have a path");
        assertInvalid(b -> b.clientUrl(URI.create("http://0.0.0.0:2379")), "not 0.0.0.0");
        assertInvalid(
                b -> b.initialClusterMember("other", URI.create("http://10.0.0.2:2380")),
                "must contain this member 'n1'");
        assertInvalid(
                b -> b.initialClusterMember("n1", URI.create("http://10.0.0.2:2380")), "use the same URL in both");
        assertInvalid(
                b -> b.heartbeatInterval(Duration.ofMillis(100)).electionTimeout(Duration.ofMillis(200)),
                "electionTimeout must be at least 5 x heartbeatInterval (100 ms), got 200 ms");
        assertInvalid(b -> b.quotaBackendBytes(-1), "quotaBackendBytes must be >= 0");
        assertInvalid(b -> b.autoCompaction(AutoCompactionMode.REVISION, "1h"), "revisions such as 1000");
        assertInvalid(b -> b.autoCompaction(AutoCompactionMode.PERIODIC, "soon"), "a duration such as 30m");
        assertInvalid(b -> b.extraArgs(java.util.List.of("debug")), "must be flags");
        assertInvalid(b -> b.startTimeout(Duration.ZERO), "startTimeout must be positive");
        assertInvalid(b -> b.maxLearners(0), "maxLearners must be >= 1");
    }

    @Test
    void listenOnAllInterfacesNeedsAnAdvertisedAddress() {
        EtcdServerConfig c = base().listenClientUrls(java.util.List.of(URI.create("http://0.0.0.0:2379")))
                .advertiseClientUrls(java.util.List.of(URI.create("http://10.1.2.3:2379")))
                .build();
        assertThat(c.listenClientUrls()).containsExactly(URI.create("http://0.0.0.0:2379"));
        assertThat(c.advertiseClientUrls()).containsExactly(URI.create("http://10.1.2.3:2379"));
    }

    @Test
    void healthCheckTlsDefaultsToClientTls() {
        TlsFiles server = TlsFiles.of(Path.of("s.crt"), Path.of("s.key"), Path.of("ca.crt"));
        TlsFiles client = TlsFiles.of(Path.of("c.crt"), Path.of("c.key"), Path.of("ca.crt"));
        EtcdServerConfig.Builder b =
                base().clientUrl(URI.create("https://127.0.0.1:2379")).clientTls(server);
        assertThat(b.build().healthCheckClientTls()).contains(server);
        assertThat(b.healthCheckClientTls(client).build().healthCheckClientTls())
                .contains(client);
        assertThat(server.isCertAuth()).isTrue();
    }
}
