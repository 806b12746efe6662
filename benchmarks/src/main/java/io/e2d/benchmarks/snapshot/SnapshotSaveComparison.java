package io.e2d.benchmarks.snapshot;

import io.e2d.snapshot.Compression;
import io.e2d.snapshot.EtcdSnapshotter;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotInfo;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.SnapshotSource;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares, on one etcd holding about {@code args[0]} MiB (default 256), the wall time of
 * <ol>
 *   <li>{@code etcdctl snapshot save} alone,
 *   <li>e2d's save with zstd + encryption into a {@code file://} store (in this JVM, after one warm-up save),
 *   <li>{@code etcdctl snapshot save} then {@code gzip | openssl enc -aes-256-ctr},
 *   <li>when {@code args[2]} (the {@code ./e2d} launcher) and {@code args[3]} (a CA key) are given:
 *       the whole {@code e2d snapshot save --compression zstd --encrypt} command, JVM start included,
 * </ol>
 * each {@code args[1]} times (default 3), with the order of the variants rotated every round so that
 * none always runs first (or after the same one), and prints medians and ratios. Every variant reads
 * the same etcd and writes to the same local disk. Needs etcd, etcdctl, gzip and openssl on the PATH.
 * See benchmarks/README.md.
 */
public final class SnapshotSaveComparison {
    private SnapshotSaveComparison() {}

    /** Runs the comparison. */
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path launcher = args.length > 3 ? Path.of(args[2]) : null;
        Path caKey = args.length > 3 ? Path.of(args[3]) : null;
        Path work = Files.createTempDirectory("e2d-save-bench-");
        try (BenchEtcd etcd = BenchEtcd.start(work, mib)) {
            run(work, etcd, rounds, launcher, caKey);
        } finally {
            BenchEtcd.delete(work);
        }
    }

    private static void run(Path work, BenchEtcd etcd, int rounds, Path launcher, Path caKey) throws Exception {
        SnapshotKey key = SnapshotKey.of(new byte[32]);
        String keyHex = HexFormat.of().formatHex(new byte[32]);
        String endpoint = etcd.endpoint.toString();
        Path db = work.resolve("etcdctl.db");
        long[] sizes = new long[2];
        try (SnapshotStore store =
                SnapshotStores.forUri("file://" + work.resolve("e2d/etcd.snapshot"), SnapshotStoreOptions.defaults())) {
            SnapshotArchive archive = SnapshotArchive.builder(store)
                    .compression(Compression.ZSTD)
                    .key(key)
                    .retention(1)
                    .build();
            Map<String, SnapshotSaveStages.Step> variants = new LinkedHashMap<>();
            variants.put(
                    "etcdctl",
                    () -> BenchEtcd.exec(
                            List.of("etcdctl", "--endpoints=" + endpoint, "snapshot", "save", db.toString())));
            variants.put("e2d", () -> {
                SnapshotInfo saved = EtcdSnapshotter.save(
                        SnapshotSource.of(etcd.endpoint), archive, Duration.ofMinutes(10), n -> {});
                sizes[0] = saved.metadata().orElseThrow().size();
                sizes[1] = saved.storedSize();
            });
            variants.put(
                    "shell",
                    () -> BenchEtcd.exec(List.of(
                            "sh",
                            "-c",
                            "etcdctl --endpoints=" + endpoint + " snapshot save " + db + " >/dev/null && gzip -c " + db
                                    + " | openssl enc -aes-256-ctr -K " + keyHex + " -iv " + keyHex + " -out " + db
                                    + ".gz.enc")));
            if (launcher != null && caKey != null) {
                variants.put(
                        "cli",
                        () -> BenchEtcd.exec(List.of(
                                launcher.toString(),
                                "snapshot",
                                "save",
                                "--url",
                                "file://" + work.resolve("cli/etcd.snapshot"),
                                "--endpoints",
                                endpoint,
                                "--compression",
                                "zstd",
                                "--encrypt",
                                "--ca-key",
                                caKey.toString(),
                                "--retention",
                                "1")));
            }
            variants.get("e2d").run(); // warm-up of this JVM
            List<String> order = new ArrayList<>(variants.keySet());
            Map<String, List<Long>> times = new LinkedHashMap<>();
            order.forEach(v -> times.put(v, new ArrayList<>()));
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < order.size(); i++) {
                    String v = order.get((i + r) % order.size());
                    long t0 = System.nanoTime();
                    variants.get(v).run();
                    times.get(v).add(System.nanoTime() - t0);
                }
            }
            long a = BenchEtcd.median(times.get("etcdctl"));
            long b = BenchEtcd.median(times.get("e2d"));
            long c = BenchEtcd.median(times.get("shell"));
            StringBuilder out = new StringBuilder();
            out.append(String.format(
                    Locale.ROOT,
                    "snapshot %.1f MiB (e2d stored %.1f MiB), %d rounds (order rotated), medians:%n",
                    sizes[0] / 1048576.0,
                    sizes[1] / 1048576.0,
                    rounds));
            out.append(String.format(Locale.ROOT, "  etcdctl snapshot save                    %7.2f s%n", a / 1e9));
            out.append(String.format(
                    Locale.ROOT,
                    "  e2d save (zstd + encryption, file://)    %7.2f s  = %.2fx etcdctl, %.0f MB/s%n",
                    b / 1e9,
                    (double) b / a,
                    sizes[0] / 1e6 / (b / 1e9)));
            if (times.containsKey("cli")) {
                long d = BenchEtcd.median(times.get("cli"));
                out.append(String.format(
                        Locale.ROOT,
                        "  e2d snapshot save command (JVM start)    %7.2f s  = %.2fx etcdctl%n",
                        d / 1e9,
                        (double) d / a));
            }
            out.append(String.format(
                    Locale.ROOT,
                    "  etcdctl + gzip + openssl aes-256-ctr     %7.2f s  = %.2fx etcdctl%n",
                    c / 1e9,
                    (double) c / a));
            out.append(String.format(Locale.ROOT, "  e2d vs gzip+openssl pipeline: %.2fx%n", (double) b / c));
            for (Map.Entry<String, List<Long>> e : times.entrySet()) {
                out.append(String.format(
                        Locale.ROOT,
                        "  runs %-8s %s%n",
                        e.getKey(),
                        e.getValue().stream()
                                .map(t -> String.format(Locale.ROOT, "%.2f", t / 1e9))
                                .toList()));
            }
            System.out.print(out);
        }
    }
}
