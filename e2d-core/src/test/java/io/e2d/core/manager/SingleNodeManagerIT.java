package io.e2d.core.manager;

import static io.e2d.core.manager.ManagerClusterIT.get;
import static io.e2d.core.manager.ManagerClusterIT.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One-node managers: restore rules, refusal on unverifiable snapshots, HTTP status, restart in place. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SingleNodeManagerIT {
    @TempDir
    Path root;

    final InMemoryGossipNetwork unused = new InMemoryGossipNetwork();

    SnapshotBackups backups() throws Exception {
        return SnapshotBackups.of(SnapshotArchive.builder(SnapshotStores.forUri(
                        "file://" + root.resolve("backups/etcd.snapshot"), SnapshotStoreOptions.defaults()))
                .build());
    }

    @Test
    void restart_resumesItsDataInsteadOfRestoringTheOlderSnapshot_thenAWipedNodeRestores() throws Exception {
        SnapshotBackups backups = backups();
        TestNode n1 = TestNode.create("n1", root, 1, unused, backups);
        try (n1) {
            n1.startAsync().awaitStarted();
            put(n1, "/a", "1");
            put(n1, EtcdManager.VOLATILE_PREFIX + "/x", "volatile");
            assertThat(n1.manager().snapshotNow()).isTrue();
            assertThat(n1.manager().snapshotNow()).as("revision did not move").isFalse();
            put(n1, "/b", "after the snapshot");
        }
        TestNode again = n1.again();
        try (again) {
            again.startAsync().awaitStarted();
            assertThat(get(again, "/b")).isEqualTo("after the snapshot");
            assertThat(get(again, EtcdManager.SNAPSHOT_MARKER_KEY)).isNull();
        }
        TestNode wiped = TestNode.create("n2", root, 1, unused, backups);
        try (wiped) {
            wiped.startAsync().awaitStarted();
            assertThat(get(wiped, "/a")).isEqualTo("1");
            assertThat(get(wiped, "/b")).isNull();
            assertThat(get(wiped, EtcdManager.SNAPSHOT_MARKER_KEY)).isNotNull();
            assertThat(get(wiped, EtcdManager.VOLATILE_PREFIX + "/x")).isNull();
            assertThat(Files.readString(wiped.dataDir.resolve(NodeFile.FILE_NAME)))
                    .contains("name=n2")
                    .doesNotContain("restoredFrom");
        }
    }

    @Test
    void storeWithOnlyUnreadableSnapshots_refusesToStartEmpty() throws Exception {
        Path dir = Files.createDirectories(root.resolve("backups"));
        Files.writeString(dir.resolve("etcd.snapshot"), "this is not a snapshot");
        TestNode n = TestNode.create("n1", root, 1, unused, backups());
        try (n) {
            EtcdManager m = EtcdManager.builder(n.config()).snapshots(backups()).build();
            assertThatThrownBy(m::start)
                    .isInstanceOf(UnverifiableSnapshotException.class)
                    .hasMessageContaining("refusing to start an empty cluster");
            assertThat(NodeFile.hasEtcdData(n.dataDir)).isFalse();
            assertThat(m.state()).isEqualTo(EtcdManager.State.FAILED);
        }
    }

    @Test
    void clusterSizeRecordedUnderE2d_isEnforced() throws Exception {
        TestNode n = TestNode.create("n1", root, 1, unused, null);
        try (n) {
            n.startAsync().awaitStarted();
            assertThat(get(n, EtcdManager.CLUSTER_INFO_KEY)).contains("requiredClusterSize=1");
            put(n, EtcdManager.CLUSTER_INFO_KEY, "requiredClusterSize=3\n");
        }
        TestNode again = n.again();
        try (again) {
            EtcdManager m = EtcdManager.builder(again.config()).build();
            assertThatThrownBy(m::start)
                    .isInstanceOf(ClusterSizeMismatchException.class)
                    .hasMessageContaining("start it with -n 3");
        }
    }

    @Test
    void healthzAndMetrics_andRestartInPlace() throws Exception {
        int port = TestNode.freePort();
        TestNode n = TestNode.create("n1", root, 1, unused, null);
        ManagerConfig cfg = n.config().toBuilder()
                .httpAddress(new InetSocketAddress("127.0.0.1", port))
                .build();
        try (EtcdManager m = EtcdManager.builder(cfg).build()) {
            m.start();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .contains("e2d_up 1\n")
                    .contains("e2d_voting_members 1\n")
                    .contains("e2d_is_leader 1\n");

            put(n, "/k", "v");
            long pid = m.server().orElseThrow().pid();
            m.restartEtcd();
            assertThat(m.server().orElseThrow().pid()).isNotEqualTo(pid);
            assertThat(get(n, "/k")).isEqualTo("v");
            assertThat(m.status().healthy()).isTrue();
            assertThat(m.status().toJson()).contains("\"role\":\"LEADER\"");
        }
    }
}
