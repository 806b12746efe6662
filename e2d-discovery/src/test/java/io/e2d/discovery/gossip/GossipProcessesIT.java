package io.e2d.discovery.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e2d.testkit.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gossip members in separate JVMs on 127.0.0.1 with the default failure-detection settings: they see each
 * other's metadata, report a kill -9, and take back a restarted node of the same name. Prints the measured
 * detection times ({@code gossip detection ...} lines).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GossipProcessesIT {
    private static final String KEY_HEX = "6532642d676f737369702d746573742d6b65792d33322d62797465732d2d2d21";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<GossipProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(GossipProcess::close);
    }

    private GossipProcess launch(String name, int port, int[] ports) {
        String seeds = Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        GossipProcess p = new GossipProcess(name, port, seeds, KEY_HEX, "-", "-");
        processes.add(p);
        return p;
    }

    private List<GossipProcess> cluster(int size) {
        int[] ports = new int[size];
        for (int i = 0; i < size; i++) {
            ports[i] = FreePorts.tcpAndUdp();
        }
        List<GossipProcess> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(launch("node-" + (i + 1), ports[i], ports));
        }
        nodes.forEach(GossipProcess::awaitStarted);
        return nodes;
    }

    private static String entry(GossipProcess p, String status) {
        return p.name + "=" + status + "@http://127.0.0.1:" + (p.port + 1);
    }

    private static void awaitEveryoneSeesEveryone(List<GossipProcess> nodes, String status) {
        for (GossipProcess observer : nodes) {
            for (GossipProcess p : nodes) {
                await(observer.name + " sees " + p.name + " " + status)
                        .atMost(WAIT)
                        .until(() -> {
                            observer.send("members");
                            return Arrays.asList(observer.members().split(",")).contains(entry(p, status));
                        });
            }
        }
    }

    /** Kills {@code victim} and returns, per observer, {suspect ms, removal ms} after the kill. */
    private static List<long[]> killAndMeasure(GossipProcess victim, List<GossipProcess> observers) {
        long killedAt = System.currentTimeMillis();
        victim.kill();
        for (GossipProcess o : observers) {
            await(o.name + " reports " + victim.name + " gone")
                    .atMost(WAIT)
                    .until(() -> o.eventTime("LEAVE", victim.name, killedAt).isPresent());
        }
        List<long[]> out = new ArrayList<>();
        for (GossipProcess o : observers) {
            long leave = o.eventTime("LEAVE", victim.name, killedAt).orElseThrow() - killedAt;
            long suspect = o.eventTime("SUSPECT", victim.name, killedAt)
                    .map(t -> t - killedAt)
                    .orElse(leave);
            out.add(new long[] {suspect, leave});
        }
        return out;
    }

    private static void print(int size, List<long[]> times) {
        String line = times.stream()
                .map(t -> String.format(Locale.ROOT, "%.2f/%.2f", t[0] / 1000.0, t[1] / 1000.0))
                .collect(Collectors.joining(" "));
        long maxLeave = times.stream().mapToLong(t -> t[1]).max().orElseThrow();
        System.out.printf(
                Locale.ROOT,
                "gossip detection (%d members, defaults: probe %d ms, failure timeout %d ms): suspect/removed seconds"
                        + " per observer after kill -9: %s; slowest removal %.2f s%n",
                size,
                MembershipConfig.DEFAULT_PROBE_INTERVAL.toMillis(),
                MembershipConfig.DEFAULT_FAILURE_TIMEOUT.toMillis(),
                line,
                maxLeave / 1000.0);
    }

    @Test
    void threeMembersSeeMetadataDetectAKillAndTakeBackARestart() {
        List<GossipProcess> nodes = cluster(3);
        awaitEveryoneSeesEveryone(nodes, "UNKNOWN");

        GossipProcess third = nodes.get(2);
        third.send("status RUNNING");
        awaitEveryoneSeesEveryone(List.of(nodes.get(0), nodes.get(1)), "UNKNOWN");
        for (GossipProcess o : nodes.subList(0, 2)) {
            await().atMost(WAIT).until(() -> {
                o.send("members");
                return o.members().contains(entry(third, "RUNNING"));
            });
        }

        List<long[]> times = killAndMeasure(third, nodes.subList(0, 2));
        print(3, times);
        for (GossipProcess o : nodes.subList(0, 2)) {
            await().atMost(WAIT).until(() -> {
                o.send("members");
                return !o.members().contains(third.name + "=");
            });
        }

        // Same name, same address: it comes back as a fresh member.
        long restartedAt = System.currentTimeMillis(); // before the launch
        GossipProcess restarted =
                new GossipProcess(third.name, third.port, "127.0.0.1:" + nodes.get(0).port, KEY_HEX, "-", "-");
        processes.add(restarted);
        restarted.awaitStarted();
        for (GossipProcess o : nodes.subList(0, 2)) {
            await(o.name + " sees the restarted node")
                    .atMost(WAIT)
                    .until(() -> o.eventTime("JOIN", third.name, restartedAt).isPresent());
        }
        awaitEveryoneSeesEveryone(List.of(nodes.get(0), nodes.get(1), restarted), "UNKNOWN");
        assertThat(times).allSatisfy(t -> assertThat(t[1]).isLessThan(WAIT.toMillis()));
    }

    @Test
    void fiveMembersSeeMetadataAndReportAKill() {
        List<GossipProcess> nodes = cluster(5);
        awaitEveryoneSeesEveryone(nodes, "UNKNOWN");
        nodes.forEach(n -> n.send("status PENDING"));
        awaitEveryoneSeesEveryone(nodes, "PENDING");

        List<long[]> times = killAndMeasure(nodes.get(4), nodes.subList(0, 4));

        print(5, times);
        for (GossipProcess o : nodes.subList(0, 4)) {
            assertThat(o.lines()).anyMatch(l -> l.matches("EVENT \\d+ LEAVE node-5 PENDING"));
        }

        // A frozen node (sockets open, no answers, as behind a partition) is suspected, then removed...
        GossipProcess frozen = nodes.get(3);
        List<GossipProcess> observers = nodes.subList(0, 3);
        long frozenAt = System.currentTimeMillis();
        long[] resumedAt = {Long.MAX_VALUE};
        frozen.signal("STOP");
        try {
            for (GossipProcess o : observers) {
                await(o.name + " reports frozen " + frozen.name + " gone")
                        .atMost(WAIT)
                        .until(() -> o.eventTime("LEAVE", frozen.name, frozenAt).isPresent());
                assertThat(o.eventTime("SUSPECT", frozen.name, frozenAt)).isPresent();
            }
            String line = observers.stream()
                    .map(o -> String.format(
                            Locale.ROOT,
                            "%.2f/%.2f",
                            (o.eventTime("SUSPECT", frozen.name, frozenAt).orElseThrow() - frozenAt) / 1000.0,
                            (o.eventTime("LEAVE", frozen.name, frozenAt).orElseThrow() - frozenAt) / 1000.0))
                    .collect(Collectors.joining(" "));
            System.out.printf(
                    Locale.ROOT,
                    "gossip detection (hung member, SIGSTOP, defaults: silence timeout %d ms): suspect/removed seconds"
                            + " per observer: %s%n",
                    MembershipConfig.DEFAULT_SILENCE_TIMEOUT.toMillis(),
                    line);
        } finally {
            resumedAt[0] = System.currentTimeMillis(); // before the signal: it may be seen at once
            frozen.signal("CONT");
        }
        // ...and comes back by itself once it answers again.
        for (GossipProcess o : observers) {
            await(o.name + " sees " + frozen.name + " back")
                    .atMost(WAIT)
                    .until(() -> o.eventTime("JOIN", frozen.name, resumedAt[0]).isPresent());
        }
    }
}
