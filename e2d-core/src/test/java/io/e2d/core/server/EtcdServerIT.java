package io.e2d.core.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdServerIT {
    @TempDir
    Path tmp;

    static void put(EtcdServer server, String key, String value) throws Exception {
        try (Client client = Client.builder()
                .endpoints(server.clientUrls().toArray(URI[]::new))
                .build()) {
            client.getKVClient()
                    .put(ByteSequence.from(key, UTF_8), ByteSequence.from(value, UTF_8))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    static String get(EtcdServer server, String key) throws Exception {
        try (Client client = Client.builder()
                .endpoints(server.clientUrls().toArray(URI[]::new))
                .build()) {
            GetResponse r =
                    client.getKVClient().get(ByteSequence.from(key, UTF_8)).get(30, TimeUnit.SECONDS);
            return r.getKvs().isEmpty()
                    ? "<absent>"
                    : r.getKvs().get(0).getValue().toString(UTF_8);
        }
    }

    @Test
    void startsServesStopsAndRestartsWithTheSameData() throws Exception {
        Path dataDir = tmp.resolve("data");
        EtcdServerConfig config = TestConfigs.single("one", dataDir).build();
        long pid;
        try (EtcdServer server = EtcdServer.create(config)) {
            assertThat(server.state()).isEqualTo(EtcdServer.State.NEW);
            server.start();
            assertThat(server.state()).isEqualTo(EtcdServer.State.RUNNING);
            assertThat(server.isRunning()).isTrue();
            pid = server.pid();
            assertThat(ProcessHandle.of(pid))
                    .hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
            assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.recentLog().stream().anyMatch(l -> l.contains("became leader")));
            put(server, "/it/key", "value-1");
            assertThat(get(server, "/it/key")).isEqualTo("value-1");
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
            server.stop();
            assertThat(server.state()).isEqualTo(EtcdServer.State.STOPPED);
            assertThat(server.isRunning()).isFalse();
            server.stop(); // idempotent
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();

        // Loosened permissions are fixed at the next start, and the data survives the restart.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (EtcdServer again = EtcdServer.create(config)) {
            again.start();
            assertThat(get(again, "/it/key")).isEqualTo("value-1");
            assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void reportsAKillToListeners() throws Exception {
        try (EtcdServer server =
                EtcdServer.create(TestConfigs.single("crash", tmp.resolve("d")).build())) {
            BlockingQueue<Integer> exits = new ArrayBlockingQueue<>(4);
            BlockingQueue<Integer> removed = new ArrayBlockingQueue<>(4);
            server.addListener(new EtcdServer.Listener() {
                @Override
                public void onUnexpectedExit(EtcdServer s, int exitCode) {
                    exits.add(exitCode);
                }
            });
            EtcdServer.Registration other = server.addListener(new EtcdServer.Listener() {
                @Override
                public void onUnexpectedExit(EtcdServer s, int exitCode) {
                    removed.add(exitCode);
                }
            });
            other.close();
            server.start();
            ProcessHandle.of(server.pid()).orElseThrow().destroyForcibly(); // SIGKILL, like kill -9

            Integer code = exits.poll(20, TimeUnit.SECONDS);
            assertThat(code).isEqualTo(137);
            assertThat(server.state()).isEqualTo(EtcdServer.State.FAILED);
            assertThat(server.isRunning()).isFalse();
            assertThat(removed).isEmpty();
        }
    }

    @Test
    void aPortInUseIsReportedWithEtcdsOwnLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EtcdServerConfig config = TestConfigs.single("busy", tmp.resolve("d"))
                    .clientUrl(URI.create("http://127.0.0.1:" + taken.getLocalPort()))
                    .build();
            try (EtcdServer server = EtcdServer.create(config)) {
                assertThatThrownBy(server::start)
                        .isInstanceOfSatisfying(EtcdStartException.class, e -> {
                            assertThat(e.reason()).isEqualTo(EtcdStartException.Reason.PORT_IN_USE);
                            assertThat(e.exitCode()).isPresent();
                            assertThat(e.lastLogLines()).anyMatch(l -> l.contains("address already in use"));
                        })
                        .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + ": bind: address already in use");
                assertThat(server.state()).isEqualTo(EtcdServer.State.FAILED);
                assertThat(server.isRunning()).isFalse();
            }
        }
    }

    @Test
    void anUnusableDataDirIsReportedBeforeLaunching() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        EtcdServerConfig config =
                TestConfigs.single("baddir", file.resolve("data")).build();
        try (EtcdServer server = EtcdServer.create(config)) {
            assertThatThrownBy(server::start)
                    .isInstanceOfSatisfying(EtcdStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(EtcdStartException.Reason.DATA_DIR))
                    .hasMessageContaining("cannot use data dir " + file.resolve("data"))
                    .hasMessageContaining("Not a directory");
            assertThatThrownBy(server::pid).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anEarlyExitCarriesEtcdsMessageNotATimeout() {
        EtcdServerConfig config = TestConfigs.single("badflag", tmp.resolve("d"))
                .extraArgs(List.of("--no-such-flag=1"))
                .startTimeout(Duration.ofSeconds(60))
                .build();
        long started = System.nanoTime();
        try (EtcdServer server = EtcdServer.create(config)) {
            assertThatThrownBy(server::start)
                    .isInstanceOfSatisfying(EtcdStartException.class, e -> {
                        assertThat(e.reason()).isEqualTo(EtcdStartException.Reason.EXITED);
                        assertThat(e.exitCode()).hasValue(2);
                    })
                    .hasMessageContaining("flag provided but not defined: -no-such-flag");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aClusterMemberAloneTimesOutWithAClearMessage() {
        EtcdServerConfig config = TestConfigs.single("lonely", tmp.resolve("d")).build();
        URI self = config.advertisePeerUrls().get(0);
        EtcdServerConfig cluster = config.toBuilder()
                .initialCluster(java.util.Map.of(
                        "lonely", self, "absent", URI.create("http://127.0.0.1:" + TestConfigs.freePort())))
                .startTimeout(Duration.ofSeconds(2))
                .build();
        try (EtcdServer server = EtcdServer.create(cluster)) {
            assertThatThrownBy(server::start)
                    .isInstanceOfSatisfying(EtcdStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(EtcdStartException.Reason.TIMEOUT))
                    .hasMessageContaining("did not become healthy within 2000 ms");
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.isRunning());
        }
    }
}
