package io.e2d.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdRestoreIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"full.db, true", "plain.db, false"})
    void restoresGoE2dAndEtcdctlSnapshots(String file, boolean hashVerified) throws Exception {
        Path dataDir = tmp.resolve("restored");
        EtcdServerConfig config = TestConfigs.single("restored", dataDir).build();
        EtcdBinary binary = EtcdBinary.resolve(config.binary());

        EtcdRestore.Result result = EtcdRestore.restore(EtcdRestoreTest.VECTORS.resolve(file), config, binary);

        assertThat(result.hashVerified()).isEqualTo(hashVerified);
        assertThat(result.command()).contains("--name=restored");
        assertThat(result.command().contains("--skip-hash-check=true")).isEqualTo(!hashVerified);
        assertThat(dataDir.resolve("member")).isDirectory();
        assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (var siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("restored");
        }
        try (EtcdServer server = EtcdServer.create(config, binary)) {
            server.start();
            assertThat(EtcdServerIT.get(server, "/vectors/hello")).isEqualTo("world-vectors");
            assertThat(EtcdServerIT.get(server, "/vectors/key20")).isEqualTo("value-20");
        }
    }

    @Test
    void threeMembersRestoringTheSameSnapshotFormOneCluster() throws Exception {
        Map<String, URI> peers = new LinkedHashMap<>();
        List<EtcdServerConfig.Builder> builders = new ArrayList<>();
        for (String name : List.of("m2", "m0", "m1")) {
            EtcdServerConfig.Builder b = TestConfigs.single(name, tmp.resolve(name))
                    .heartbeatInterval(Duration.ofMillis(20))
                    .electionTimeout(Duration.ofMillis(200));
            peers.put(name, b.build().advertisePeerUrls().get(0));
            builders.add(b);
        }
        EtcdBinary binary = EtcdBinary.resolve();
        List<EtcdServer> servers = new ArrayList<>();
        try {
            for (EtcdServerConfig.Builder b : builders) {
                EtcdServerConfig config = b.initialCluster(peers).build();
                EtcdRestore.restore(EtcdRestoreTest.VECTORS.resolve("plain.db"), config, binary);
                servers.add(EtcdServer.create(config, binary));
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> started = new ArrayList<>();
                for (EtcdServer s : servers) {
                    started.add(pool.submit(s::start));
                }
                for (Future<?> f : started) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            for (EtcdServer s : servers) {
                assertThat(EtcdServerIT.get(s, "/vectors/hello")).isEqualTo("world-vectors");
            }
            try (Client client = Client.builder()
                    .endpoints(servers.get(0).clientUrls().get(0))
                    .build()) {
                assertThat(client.getClusterClient()
                                .listMember()
                                .get(30, TimeUnit.SECONDS)
                                .getMembers())
                        .extracting(Member::getName)
                        .containsExactlyInAnyOrder("m0", "m1", "m2");
            }
        } finally {
            for (EtcdServer s : servers) {
                s.close();
            }
        }
    }

    @Test
    void aFailingToolLeavesNothingBehind() throws Exception {
        // A file with a valid size and no trailer but garbage content: the tool itself fails.
        Path garbage = Files.write(tmp.resolve("garbage.db"), new byte[4096]);
        Path dataDir = tmp.resolve("data");
        EtcdServerConfig config = TestConfigs.single("g", dataDir).build();
        assertThatThrownBy(() -> EtcdRestore.restore(garbage, config, EtcdBinary.resolve()))
                .isInstanceOfSatisfying(EtcdRestoreException.class, e -> assertThat(e.toolOutput())
                        .isNotEmpty())
                .hasMessageContaining("snapshot restore failed with exit code");
        assertThat(dataDir).doesNotExist();
        try (var siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("garbage.db");
        }
    }
}
