package io.e2d.core.manager;

import io.e2d.core.server.EtcdBinary;
import io.e2d.core.server.EtcdRestore;
import io.e2d.core.server.EtcdServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Restores a plain etcd database file into the {@code member} directory of a data dir that also
 * holds e2d's node file: {@link EtcdRestore} writes a fresh data dir next to it, and only its {@code
 * member} directory is moved in, and only when the data dir holds no etcd data. Where the tool
 * supports it, the revision is bumped and marked compacted so watchers cannot miss events.
 */
final class SnapshotRestorer {
    /** How far a restore raises the revision when the etcd tool supports it (as etcd's docs suggest). */
    static final long BUMP_REVISION = 1_000_000_000L;

    private SnapshotRestorer() {}

    static void restore(Path db, EtcdServerConfig target, EtcdBinary binary) throws IOException {
        Path dataDir = target.dataDir().toAbsolutePath();
        if (NodeFile.hasEtcdData(dataDir)) {
            throw new IOException("refusing to restore into " + dataDir + ": it holds etcd data");
        }
        Path parent = dataDir.getParent() == null ? Path.of(".") : dataDir.getParent();
        Path temp = parent.resolve("." + dataDir.getFileName() + ".restore-" + System.nanoTime());
        EtcdRestore.Options options = EtcdRestore.Options.defaults();
        if (EtcdRestore.supportsBumpRevision(binary.version())) {
            options = options.withBumpRevision(BUMP_REVISION);
        }
        try {
            EtcdRestore.restore(db, target.toBuilder().dataDir(temp).build(), binary, options);
            Path member = dataDir.resolve("member");
            if (Files.exists(member)) {
                deleteTree(member); // a member dir without a WAL (checked above) holds nothing of value
            }
            Files.move(temp.resolve("member"), member);
        } finally {
            deleteTree(temp);
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
