package io.e2d.core.manager;

import io.e2d.core.server.EtcdBinary;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.core.server.EtcdVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Restores a plain etcd database file into the {@code member} directory of a data dir with {@code
 * etcdctl snapshot restore} (3.4) or {@code etcdutl snapshot restore} (3.5+). The restore runs into
 * a temporary directory next to the data dir; only its {@code member} directory is moved in, and only
 * when the data dir holds no etcd data.
 */
final class SnapshotRestorer {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private SnapshotRestorer() {}

    static void restore(Path db, EtcdServerConfig target, EtcdBinary binary) throws IOException {
        Path dataDir = target.dataDir().toAbsolutePath();
        if (NodeFile.hasEtcdData(dataDir)) {
            throw new IOException("refusing to restore into " + dataDir + ": it holds etcd data");
        }
        boolean v35 = binary.version().isAtLeast(EtcdVersion.V3_5);
        Path tool = (v35 ? binary.etcdutl() : binary.etcdctl())
                .orElseThrow(() -> new IOException("no " + (v35 ? "etcdutl" : "etcdctl") + " next to " + binary.path()
                        + ": install it to restore snapshots"));
        Path parent = dataDir.getParent() == null ? Path.of(".") : dataDir.getParent();
        Path temp = parent.resolve("." + dataDir.getFileName() + ".restore-" + System.nanoTime());
        List<String> cmd = new ArrayList<>(List.of(
                tool.toString(),
                "snapshot",
                "restore",
                db.toAbsolutePath().toString(),
                "--name=" + target.name(),
                "--data-dir=" + temp,
                "--initial-cluster=" + target.initialClusterFlag(),
                "--initial-cluster-token=" + target.initialClusterToken(),
                "--initial-advertise-peer-urls="
                        + target.advertisePeerUrls().stream()
                                .map(Object::toString)
                                .collect(Collectors.joining(",")),
                "--skip-hash-check=" + (Files.size(db) % 512 != 32)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (!v35) {
            pb.environment().put("ETCDCTL_API", "3");
        }
        Path log = Files.createTempFile("e2d-restore", ".log");
        pb.redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("snapshot restore did not finish in " + TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IOException("snapshot restore failed (exit " + p.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            Files.createDirectories(dataDir);
            Path member = dataDir.resolve("member");
            if (Files.exists(member)) {
                // an empty or partial member dir without a WAL (checked above): nothing of value
                deleteTree(member);
            }
            Files.move(temp.resolve("member"), member);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restoring", e);
        } finally {
            deleteTree(temp);
            Files.deleteIfExists(log);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
