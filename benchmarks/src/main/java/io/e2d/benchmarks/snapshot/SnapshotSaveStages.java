package io.e2d.benchmarks.snapshot;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.e2d.snapshot.Compression;
import io.e2d.snapshot.EtcdSnapshotter;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.SnapshotSource;
import io.e2d.snapshot.codec.EncryptingOutputStream;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import io.etcd.jetcd.maintenance.SnapshotResponse;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the time of an e2d snapshot save goes: on one etcd holding about {@code args[0]} MiB
 * (default 256), each stage {@code args[1]} times (default 3), medians of wall time, this JVM's CPU
 * time and etcd's CPU time. Online stages receive from etcd; offline stages run on the snapshot held
 * in memory (run with {@code -Xmx1g}). See benchmarks/README.md.
 */
public final class SnapshotSaveStages {
    private static final SnapshotKey KEY = SnapshotKey.of(new byte[32]);

    private SnapshotSaveStages() {}

    /** A measured step. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** Runs the stages and prints a table. */
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("e2d-save-stages-");
        try (BenchEtcd etcd = BenchEtcd.start(work, mib)) {
            run(work, etcd, rounds);
        } finally {
            BenchEtcd.delete(work);
        }
    }

    private static void run(Path work, BenchEtcd etcd, int rounds) throws Exception {
        Path db = work.resolve("etcdctl.db");
        Map<String, Step> online = new LinkedHashMap<>();
        online.put(
                "etcdctl snapshot save",
                () -> BenchEtcd.exec(
                        List.of("etcdctl", "--endpoints=" + etcd.endpoint, "snapshot", "save", db.toString())));
        online.put("jetcd receive only", () -> receive(etcd, false));
        online.put("jetcd receive + copy + SHA-256", () -> receive(etcd, true));
        try (SnapshotStore store =
                SnapshotStores.forUri("file://" + work.resolve("e2d/etcd.snapshot"), SnapshotStoreOptions.defaults())) {
            SnapshotArchive archive = SnapshotArchive.builder(store)
                    .compression(Compression.ZSTD)
                    .key(KEY)
                    .retention(1)
                    .build();
            online.put("e2d save (zstd + encryption, file://)", () -> save(etcd, archive));
            online.put(
                    "e2d save (zstd, file://)",
                    () -> save(
                            etcd,
                            SnapshotArchive.builder(store)
                                    .compression(Compression.ZSTD)
                                    .retention(1)
                                    .build()));
            online.put(
                    "e2d save (encryption, file://)",
                    () -> save(
                            etcd,
                            SnapshotArchive.builder(store).key(KEY).retention(1).build()));
            online.put(
                    "e2d save (plain, file://)",
                    () -> save(etcd, SnapshotArchive.builder(store).retention(1).build()));
            online.values().forEach(SnapshotSaveStages::unchecked); // warm-up
            System.out.printf(Locale.ROOT, "%-44s %8s %8s %8s%n", "online stage", "wall s", "jvm cpu", "etcd cpu");
            for (Map.Entry<String, Step> e : online.entrySet()) {
                measure(e.getKey(), e.getValue(), rounds, etcd);
            }
        }
        byte[] plain = Files.readAllBytes(db);
        System.out.printf(Locale.ROOT, "%noffline, on the %.1f MiB snapshot in memory%n", plain.length / 1048576.0);
        Map<String, Step> offline = new LinkedHashMap<>();
        offline.put("SHA-256", () -> sha256(plain));
        for (int level : new int[] {-1, 1, 2, 3}) {
            offline.put("zstd level " + level, () -> zstd(plain, level, 0));
            offline.put("zstd level " + level + ", 2 workers", () -> zstd(plain, level, 2));
        }
        byte[] compressed = zstdBytes(plain, 3);
        byte[] compressed1 = zstdBytes(plain, 1);
        System.out.printf(
                Locale.ROOT,
                "zstd level 3: %.1f MiB, level 1: %.1f MiB%n",
                compressed.length / 1048576.0,
                compressed1.length / 1048576.0);
        offline.put("envelope (AES-CTR + HMAC) of zstd-3 output", () -> envelope(compressed));
        offline.put("SHA-256 of zstd-3 output", () -> sha256(compressed));
        Path spool = work.resolve("spool");
        offline.put("spool zstd-3 output: write + read", () -> {
            Files.write(spool, compressed);
            Files.readAllBytes(spool);
        });
        try (SnapshotStore store = SnapshotStores.forUri(
                "file://" + work.resolve("offline/etcd.snapshot"), SnapshotStoreOptions.defaults())) {
            SnapshotArchive archive = SnapshotArchive.builder(store)
                    .compression(Compression.ZSTD)
                    .key(KEY)
                    .retention(1)
                    .build();
            for (int r = 0; r <= rounds; r++) {
                long t0 = System.nanoTime();
                try (SnapshotArchive.Writer w = archive.begin(plain.length, 1, 1)) {
                    for (int off = 0; off < plain.length; off += 32 * 1024) {
                        w.stream().write(plain, off, Math.min(32 * 1024, plain.length - off));
                    }
                    long t1 = System.nanoTime();
                    w.commit();
                    long t2 = System.nanoTime();
                    System.out.printf(
                            Locale.ROOT,
                            "archive zstd + encryption from memory: stream %.2f s, commit %.2f s%n",
                            (t1 - t0) / 1e9,
                            (t2 - t1) / 1e9);
                }
            }
        }
        offline.values().forEach(SnapshotSaveStages::unchecked); // warm-up
        System.out.printf(Locale.ROOT, "%-44s %8s %8s%n", "offline stage", "wall s", "jvm cpu");
        for (Map.Entry<String, Step> e : offline.entrySet()) {
            measure(e.getKey(), e.getValue(), rounds, null);
        }
    }

    private static void unchecked(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void measure(String name, Step step, int rounds, BenchEtcd etcd) throws Exception {
        List<Long> wall = new ArrayList<>();
        List<Double> jvm = new ArrayList<>();
        List<Double> etcdCpu = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double e0 = etcd == null ? 0 : etcd.etcdCpuSeconds();
            double c0 = jvmCpuSeconds();
            long t0 = System.nanoTime();
            step.run();
            wall.add(System.nanoTime() - t0);
            jvm.add(jvmCpuSeconds() - c0);
            etcdCpu.add(etcd == null ? 0 : etcd.etcdCpuSeconds() - e0);
        }
        String row = String.format(
                Locale.ROOT, "%-44s %8.2f %8.2f", name, BenchEtcd.median(wall) / 1e9, BenchEtcd.medianOf(jvm));
        if (etcd != null) {
            row += String.format(Locale.ROOT, " %8.2f", BenchEtcd.medianOf(etcdCpu));
        }
        System.out.println(row);
    }

    private static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    private static void receive(BenchEtcd etcd, boolean copyAndHash) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        CompletableFuture<Long> done = new CompletableFuture<>();
        etcd.client.getMaintenanceClient().snapshot(new StreamObserver<SnapshotResponse>() {
            private long bytes;

            @Override
            public void onNext(SnapshotResponse value) {
                if (copyAndHash) {
                    byte[] b = value.getBlob().toByteArray();
                    sha.update(b);
                    bytes += b.length;
                } else {
                    bytes += value.getBlob().size();
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(bytes);
            }
        });
        done.get(10, TimeUnit.MINUTES);
    }

    private static void save(BenchEtcd etcd, SnapshotArchive archive) throws IOException {
        EtcdSnapshotter.save(SnapshotSource.of(etcd.endpoint), archive, Duration.ofMinutes(10), n -> {});
    }

    private static void sha256(byte[] data) throws Exception {
        MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static void zstd(byte[] data, int level, int workers) throws IOException {
        try (ZstdOutputStreamNoFinalizer out =
                new ZstdOutputStreamNoFinalizer(OutputStream.nullOutputStream(), level)) {
            out.setChecksum(true);
            if (workers > 0) {
                out.setWorkers(workers);
            }
            for (int off = 0; off < data.length; off += 32 * 1024) {
                out.write(data, off, Math.min(32 * 1024, data.length - off));
            }
        }
    }

    private static byte[] zstdBytes(byte[] data, int level) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdOutputStreamNoFinalizer out = new ZstdOutputStreamNoFinalizer(bytes, level)) {
            out.setChecksum(true);
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static void envelope(byte[] data) throws IOException {
        try (OutputStream out = new EncryptingOutputStream(OutputStream.nullOutputStream(), KEY, data.length)) {
            for (int off = 0; off < data.length; off += 128 * 1024) {
                out.write(data, off, Math.min(128 * 1024, data.length - off));
            }
        }
    }
}
