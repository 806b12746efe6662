package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EtcdFlagsTest {
    private static final EtcdVersion V34 = EtcdVersion.parse("3.4.23");
    private static final EtcdVersion V35 = EtcdVersion.parse("3.5.17");
    private static final EtcdVersion V36 = EtcdVersion.parse("3.6.4");

    private static EtcdServerConfig.Builder base() {
        return EtcdServerConfig.builder()
                .name("n1")
                .dataDir(Path.of("/var/lib/e2d"))
                .clientUrl(URI.create("http://127.0.0.1:2379"))
                .peerUrl(URI.create("http://127.0.0.1:2380"));
    }

    @Test
    void commonFlagsForEveryVersion() {
        EtcdServerConfig c = base().initialClusterMember("n1", URI.create("http://127.0.0.1:2380"))
                .initialClusterMember("a0", URI.create("http://127.0.0.2:2380"))
                .initialClusterState(InitialClusterState.EXISTING)
                .heartbeatInterval(Duration.ofMillis(10))
                .electionTimeout(Duration.ofMillis(100))
                .quotaBackendBytes(8L << 30)
                .autoCompaction(AutoCompactionMode.PERIODIC, "1h")
                .extraArgs(List.of("--log-level=debug"))
                .build();
        for (EtcdVersion v : List.of(V34, V35, V36)) {
            List<String> flags = EtcdFlags.build(c, v);
            assertThat(flags)
                    .startsWith(
                            "--name=n1",
                            "--data-dir=/var/lib/e2d",
                            "--listen-client-urls=http://127.0.0.1:2379",
                            "--advertise-client-urls=http://127.0.0.1:2379",
                            "--listen-peer-urls=http://127.0.0.1:2380",
                            "--initial-advertise-peer-urls=http://127.0.0.1:2380",
                            "--initial-cluster=a0=http://127.0.0.2:2380,n1=http://127.0.0.1:2380",
                            "--initial-cluster-state=existing",
                            "--initial-cluster-token=etcd-cluster",
                            "--heartbeat-interval=10",
                            "--election-timeout=100",
                            "--quota-backend-bytes=8589934592",
                            "--auto-compaction-mode=periodic",
                            "--auto-compaction-retention=1h")
                    .contains("--log-outputs=stderr", "--strict-reconfig-check=true")
                    .endsWith("--log-level=debug")
                    .noneMatch(f -> f.startsWith("--client-cert-auth") || f.startsWith("--cert-file"));
        }
    }

    @Test
    void version34UsesZapAndDisablesV2() {
        List<String> flags =
                EtcdFlags.build(base().initialCorruptCheck(true).maxLearners(1).build(), V34);
        assertThat(flags)
                .contains("--logger=zap", "--enable-v2=false", "--experimental-initial-corrupt-check=true")
                .noneMatch(f -> f.contains("max-learners") || f.startsWith("--feature-gates"));
    }

    @Test
    void version34RejectsMoreThanOneLearner() {
        EtcdServerConfig c = base().maxLearners(2).build();
        assertThatThrownBy(() -> EtcdFlags.build(c, V34))
                .isInstanceOf(InvalidEtcdConfigException.class)
                .hasMessageContaining("maxLearners=2 needs etcd 3.5+");
    }

    @Test
    void version35UsesExperimentalFlags() {
        List<String> flags =
                EtcdFlags.build(base().initialCorruptCheck(true).maxLearners(2).build(), V35);
        assertThat(flags)
                .contains(
                        "--enable-v2=false",
                        "--experimental-initial-corrupt-check=true",
                        "--experimental-max-learners=2")
                .doesNotContain("--logger=zap");
    }

    @Test
    void version36UsesRenamedFlagsAndFeatureGates() {
        List<String> flags =
                EtcdFlags.build(base().initialCorruptCheck(true).maxLearners(2).build(), V36);
        assertThat(flags)
                .contains("--feature-gates=InitialCorruptCheck=true", "--max-learners=2")
                .noneMatch(f ->
                        f.startsWith("--experimental-") || f.startsWith("--enable-v2") || f.startsWith("--logger"));
    }

    @Test
    void tlsFlagsTurnOnCertAuthOnlyWithCa() {
        EtcdServerConfig c = base().clientUrl(URI.create("https://127.0.0.1:2379"))
                .peerUrl(URI.create("https://127.0.0.1:2380"))
                .clientTls(TlsFiles.of(Path.of("/pki/server.crt"), Path.of("/pki/server.key"), Path.of("/pki/ca.crt")))
                .peerTls(TlsFiles.of(Path.of("/pki/peer.crt"), Path.of("/pki/peer.key")))
                .build();
        List<String> flags = EtcdFlags.build(c, V35);
        assertThat(flags)
                .contains(
                        "--cert-file=/pki/server.crt",
                        "--key-file=/pki/server.key",
                        "--trusted-ca-file=/pki/ca.crt",
                        "--client-cert-auth=true",
                        "--peer-cert-file=/pki/peer.crt",
                        "--peer-key-file=/pki/peer.key")
                .noneMatch(f -> f.startsWith("--peer-client-cert-auth") || f.startsWith("--peer-trusted-ca-file"));
    }

    @Test
    void defaultsMatchEtcdDefaults() {
        List<String> flags = EtcdFlags.build(base().build(), V34);
        assertThat(flags)
                .contains(
                        "--initial-cluster=n1=http://127.0.0.1:2380",
                        "--initial-cluster-state=new",
                        "--heartbeat-interval=100",
                        "--election-timeout=1000",
                        "--auto-compaction-retention=0")
                .noneMatch(f -> f.startsWith("--quota-backend-bytes"));
    }
}
