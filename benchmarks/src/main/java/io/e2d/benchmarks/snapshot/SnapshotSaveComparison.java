package io.e2d.benchmarks.snapshot;

import io.e2d.core.server.EtcdServer;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.snapshot.Compression;
import io.e2d.snapshot.EtcdSnapshotter;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotInfo;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compares, on one etcd holding about {@code args[0]} MiB (default 256), the wall time of
 * <ol>
 *   <li>{@code etcdctl snapshot save} alone,
 *   <li>e2d's save with zstd + encryption into a {@code file://} store (in this JVM, after one warm-up save),
 *   <li>{@code etcdctl snapshot save} then {@code gzip | openssl enc -aes-256-ctr},
 * </ol>
 * each {@code args[1]} times (default 3), interleaved, and prints medians and ratios. Needs etcd,
 * etcdctl, gzip and openssl on the PATH. See benchmarks/README.md.
 */
public final class SnapshotSaveComparison {
    private SnapshotSaveComparison() {}

    /** Runs the comparison. */
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("e2d-save-bench-");
        try {
            run(work, mib, rounds);
        } finally {
            delete(work);
        }
    }

    private static void run(Path work, int mib, int rounds) throws Exception {
        URI client = URI.create("http://127.0.0.1:" + freePort());
        EtcdServerConfig config = EtcdServerConfig.builder()
                .name("bench")
                .dataDir(work.resolve("data"))
                .clientUrl(client)
                .peerUrl(URI.create("http://127.0.0.1:" + freePort()))
                .fastElections()
                .quotaBackendBytes(8L * 1024 * 1024 * 1024)
                .build();
        SnapshotKey key = SnapshotKey.of(new byte[32]);
        String keyHex = HexFormat.of().formatHex(new byte[32]);
        try (EtcdServer etcd = EtcdServer.create(config);
                Client jetcd = Client.builder()
                        .endpoints(client.toString())
                        .maxInboundMessageSize(64 * 1024 * 1024)
                        .build()) {
            etcd.start();
            fill(jetcd, mib);
            Path db = work.resolve("etcdctl.db");
            List<Long> etcdctl = new ArrayList<>();
            List<Long> e2d = new ArrayList<>();
            List<Long> shell = new ArrayList<>();
            long size = 0;
            long stored = 0;
            try (SnapshotStore store = SnapshotStores.forUri(
                    "file://" + work.resolve("e2d/etcd.snapshot"), SnapshotStoreOptions.defaults())) {
                SnapshotArchive archive = SnapshotArchive.builder(store)
                        .compression(Compression.ZSTD)
                        .key(key)
                        .retention(1)
                        .build();
                EtcdSnapshotter.save(jetcd, archive, Duration.ofMinutes(10), n -> {}); // warm-up
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    exec(List.of("etcdctl", "--endpoints=" + client, "snapshot", "save", db.toString()));
                    long t1 = System.nanoTime();
                    SnapshotInfo saved = EtcdSnapshotter.save(jetcd, archive, Duration.ofMinutes(10), n -> {});
                    long t2 = System.nanoTime();
                    exec(List.of(
                            "sh",
                            "-c",
                            "etcdctl --endpoints=" + client + " snapshot save " + db + " >/dev/null && gzip -c " + db
                                    + " | openssl enc -aes-256-ctr -K " + keyHex + " -iv " + keyHex
                                    + " -out " + db + ".gz.enc"));
                    long t3 = System.nanoTime();
                    etcdctl.add(t1 - t0);
                    e2d.add(t2 - t1);
                    shell.add(t3 - t2);
                    size = saved.metadata().orElseThrow().size();
                    stored = saved.storedSize();
                }
            }
            long a = median(etcdctl);
            long b = median(e2d);
            long c = median(shell);
            System.out.printf(
                    Locale.ROOT,
                    "snapshot %.1f MiB (e2d stored %.1f MiB), %d rounds, medians:%n"
                            + "  etcdctl snapshot save                 %7.2f s%n"
                            + "  e2d save (zstd + encryption, file://) %7.2f s  = %.2fx etcdctl, %.0f MB/s%n"
                            + "  etcdctl + gzip + openssl aes-256-ctr  %7.2f s  = %.2fx etcdctl%n"
                            + "  e2d vs gzip+openssl pipeline: %.2fx%n",
                    size / 1048576.0,
                    stored / 1048576.0,
                    rounds,
                    a / 1e9,
                    b / 1e9,
                    (double) b / a,
                    size / 1e6 / (b / 1e9),
                    c / 1e9,
                    (double) c / a,
                    (double) b / c);
        }
    }

    /** Writes about {@code mib} MiB as 512 KiB values that compress roughly like etcd data. */
    private static void fill(Client client, int mib) throws Exception {
        byte[] value = new byte[512 * 1024];
        java.util.Random random = new java.util.Random(1);
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

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
