package io.e2d.benchmarks.snapshot;

import io.e2d.core.server.EtcdServer;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway single-member etcd on free loopback ports, filled with about N MiB, and a jetcd client
 * to it; shared by the snapshot harnesses. Close to stop etcd (the work directory is the caller's).
 */
final class BenchEtcd implements AutoCloseable {
    final URI endpoint;
    final Client client;
    private final EtcdServer etcd;

    private BenchEtcd(URI endpoint, EtcdServer etcd, Client client) {
        this.endpoint = endpoint;
        this.etcd = etcd;
        this.client = client;
    }

    /** Starts etcd with its data under {@code work} and fills it with about {@code mib} MiB. */
    static BenchEtcd start(Path work, int mib) throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + FreePorts.tcp());
        EtcdServerConfig config = EtcdServerConfig.builder()
                .name("bench")
                .dataDir(work.resolve("data"))
                .clientUrl(endpoint)
                .peerUrl(URI.create("http://127.0.0.1:" + FreePorts.tcp()))
                .fastElections()
                .quotaBackendBytes(8L * 1024 * 1024 * 1024)
                .build();
        EtcdServer etcd = EtcdServer.create(config);
        Client client = Client.builder()
                .endpoints(endpoint.toString())
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        BenchEtcd bench = new BenchEtcd(endpoint, etcd, client);
        try {
            etcd.start();
            bench.fill(mib);
            return bench;
        } catch (Exception e) {
            bench.close();
            throw e;
        }
    }

    /** Writes about {@code mib} MiB as 512 KiB values that compress roughly like etcd data. */
    private void fill(int mib) throws Exception {
        byte[] value = new byte[512 * 1024];
        Random random = new Random(1);
        for (int i = 0; i < mib * 2; i++) {
            for (int off = 0; off < value.length; off += 64) {
                if (random.nextInt(4) == 0) {
                    for (int j = 0; j < 64; j++) {
                        value[off + j] = (byte) random.nextInt();
                    }
                } else {
                    byte[] text = ("{\"pod\":\"app-" + i + "-" + off + "\",\"ok\":true}                          ")
                            .getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(text, 0, value, off, Math.min(64, text.length));
                }
            }
            client.getKVClient()
                    .put(ByteSequence.from("/bench/" + i, StandardCharsets.UTF_8), ByteSequence.from(value))
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /** CPU seconds (user + system) the etcd process has used so far, from /proc; -1 if unknown. */
    double etcdCpuSeconds() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/etcd")).orElse(false))
                .findFirst()
                .flatMap(p -> p.info().totalCpuDuration())
                .map(d -> d.toNanos() / 1e9)
                .orElse(-1.0);
    }

    /** Runs {@code cmd} with ETCDCTL_API=3 and fails if it exits non-zero. */
    static void exec(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static double medianOf(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        client.close();
        etcd.close();
    }
}
