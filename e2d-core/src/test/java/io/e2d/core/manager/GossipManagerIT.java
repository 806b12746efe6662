package io.e2d.core.manager;

import static io.e2d.core.manager.TestNode.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e2d.discovery.PeerAddress;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The manager on real SWIM gossip (e2d-discovery, atomix) over loopback, with real etcd processes. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GossipManagerIT {
    @TempDir
    Path root;

    final List<EtcdManager> managers = new ArrayList<>();
    final List<PeerAddress> seeds = new ArrayList<>();
    final Map<String, URI> clientUrls = new java.util.HashMap<>();

    @AfterEach
    void stop() {
        managers.forEach(EtcdManager::close);
    }

    EtcdManager manager(String name, int gossipPort) {
        URI client = TestNode.url(TestNode.freePort());
        URI peer = TestNode.url(TestNode.freePort());
        clientUrls.put(name, client);
        ManagerConfig config = ManagerConfig.builder()
                .name(name)
                .dataDir(root.resolve(name))
                .clientUrl(client)
                .peerUrl(peer)
                .gossipAddress(new PeerAddress("127.0.0.1", gossipPort))
                .bootstrapAddresses(seeds)
                .requiredClusterSize(3)
                .healthCheckTimeout(Duration.ofSeconds(3))
                .bootstrapTimeout(Duration.ofSeconds(90))
                .etcdStartTimeout(Duration.ofSeconds(20))
                .tick(Duration.ofMillis(200))
                .fastElections()
                .build();
        EtcdManager m = EtcdManager.builder(config)
                .gossip(Gossip.membership(config, name, null))
                .build();
        managers.add(m);
        return m;
    }

    static List<EtcdMember> members(URI endpoint) throws Exception {
        try (Client c = Client.builder().endpoints(endpoint).build()) {
            return EtcdManager.memberList(c);
        }
    }

    @Test
    void bootstrapOverGossip_thenKilledMemberIsReplaced() throws Exception {
        int[] ports = {TestNode.freePort(), TestNode.freePort(), TestNode.freePort()};
        for (int p : ports) {
            seeds.add(new PeerAddress("127.0.0.1", p));
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EtcdManager m = manager("g" + (i + 1), ports[i]);
            starts.add(CompletableFuture.runAsync(m::start));
        }
        for (CompletableFuture<Void> s : starts) {
            s.get(2, TimeUnit.MINUTES);
        }
        URI g2 = clientUrls.get("g2");
        assertThat(members(g2)).extracting(EtcdMember::name).containsExactlyInAnyOrder("g1", "g2", "g3");
        try (Client c = Client.builder().endpoints(g2).build()) {
            c.getKVClient().put(bytes("/k"), bytes("v")).get(10, TimeUnit.SECONDS);
        }

        EtcdManager victim = managers.get(0);
        ProcessHandle.of(victim.server().orElseThrow().pid()).ifPresent(ProcessHandle::destroyForcibly);
        victim.close();
        manager("g4", TestNode.freePort()).start();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    List<EtcdMember> m = members(g2);
                    assertThat(m).noneMatch(EtcdMember::learner);
                    assertThat(m.stream().map(EtcdMember::name).collect(Collectors.toSet()))
                            .isEqualTo(Set.of("g2", "g3", "g4"));
                });
        try (Client c = Client.builder().endpoints(clientUrls.get("g4")).build()) {
            assertThat(c.getKVClient()
                            .get(bytes("/k"))
                            .get(10, TimeUnit.SECONDS)
                            .getKvs()
                            .get(0)
                            .getValue()
                            .toString(StandardCharsets.UTF_8))
                    .isEqualTo("v");
        }
    }
}
