package io.e2d.benchmarks;

import io.e2d.core.manager.EtcdManager;
import io.e2d.core.manager.InMemoryGossipNetwork;
import io.e2d.core.manager.ManagerConfig;
import io.e2d.core.manager.ManagerStatus;
import io.e2d.discovery.PeerAddress;
import io.e2d.testkit.FreePorts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures the time from kill -9 of one member of a 3-node e2d cluster to a healthy replacement:
 * three managers (real etcd 3.x processes, fast elections) in this JVM on an in-memory gossip
 * network, health-check timeout 5 s. The replacement (new name, empty data dir) is started right
 * after the kill. Prints, per run: replacement started as a voting member (learner added, caught up,
 * promoted), and dead member removed so the cluster is back to 3 healthy voting members.
 *
 * <p>Gossip here sees a dead node at once; SWIM (e2d-discovery) adds its detection time (see
 * e2d-discovery/README.md) to the second figure.
 *
 * <pre>
 * java -cp ... io.e2d.benchmarks.ReplacementTimeHarness [--runs 3] [--health-check-timeout-seconds 5]
 * </pre>
 */
public final class ReplacementTimeHarness {

    private ReplacementTimeHarness() {}

    public static void main(String[] args) throws Exception {
        int runs = 3;
        Duration hct = Duration.ofSeconds(5);
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--health-check-timeout-seconds")) {
                hct = Duration.ofSeconds(Long.parseLong(args[i + 1]));
            }
        }
        for (int r = 1; r <= runs; r++) {
            runOnce(r, hct);
        }
    }

    private static void runOnce(int run, Duration hct) throws Exception {
        Path root = Files.createTempDirectory("e2d-replacement");
        InMemoryGossipNetwork network = new InMemoryGossipNetwork();
        List<EtcdManager> managers = new ArrayList<>();
        try {
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (String name : List.of("n1", "n2", "n3")) {
                EtcdManager m = manager(name, root, network, hct);
                managers.add(m);
                starts.add(CompletableFuture.runAsync(m::start));
            }
            for (CompletableFuture<Void> s : starts) {
                s.get(2, TimeUnit.MINUTES);
            }
            EtcdManager victim = managers.get(0);
            long pid = victim.server().orElseThrow().pid();

            long t0 = System.nanoTime();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            victim.close();
            EtcdManager replacement = manager("n4", root, network, hct);
            managers.add(replacement);
            replacement.start(); // returns once it runs healthy as a promoted voting member
            double joined = (System.nanoTime() - t0) / 1e9;
            EtcdManager observer = managers.get(1);
            while (!backToThree(observer)) {
                Thread.sleep(50);
            }
            double healthy = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "run %d: kill -9 -> replacement voting member %.2f s; -> 3 healthy voting members (dead one"
                            + " removed, health-check timeout %d s) %.2f s%n",
                    run, joined, hct.toSeconds(), healthy);
        } finally {
            for (EtcdManager m : managers) {
                m.close();
            }
        }
    }

    private static boolean backToThree(EtcdManager observer) {
        ManagerStatus s = observer.status();
        return s.healthy()
                && s.members().size() == 3
                && s.voters() == 3
                && s.members().stream().noneMatch(m -> m.name().equals("n1"));
    }

    private static EtcdManager manager(String name, Path root, InMemoryGossipNetwork network, Duration hct) {
        URI client = URI.create("http://127.0.0.1:" + FreePorts.tcp());
        URI peer = URI.create("http://127.0.0.1:" + FreePorts.tcp());
        ManagerConfig config = ManagerConfig.builder()
                .name(name)
                .dataDir(root.resolve(name))
                .clientUrl(client)
                .peerUrl(peer)
                .requiredClusterSize(3)
                .bootstrapAddresses(List.of(new PeerAddress("127.0.0.1", 1)))
                .healthCheckTimeout(hct)
                .tick(Duration.ofMillis(200))
                .fastElections()
                .build();
        return EtcdManager.builder(config)
                .gossip(network.join(name, client, peer))
                .build();
    }
}
