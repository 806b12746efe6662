package io.e2d.core.manager;

import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The snapshot store as the manager uses it: list, fetch-and-verify for restores, save from a
 * running member. An adapter over e2d-snapshot's archive provides it; implementations are
 * thread-safe for reads and are called for one save at a time.
 */
public interface SnapshotBackups {
    /** How long one snapshot save may take by default. */
    Duration DEFAULT_SAVE_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Backups in an e2d-snapshot archive (its store, compression, encryption and retention); the
     * archive's store is not closed by the manager.
     */
    static SnapshotBackups of(SnapshotArchive archive) {
        return new ArchiveBackups(archive, archive, DEFAULT_SAVE_TIMEOUT);
    }

    /**
     * Backups that save through {@code writer} and list and restore through {@code reader}, two
     * archives of the same store: e.g. a node that does not encrypt new snapshots but still restores
     * encrypted ones (the reader has the key), as Go e2d nodes with a CA key did.
     *
     * @throws IllegalArgumentException if the archives use different stores
     */
    static SnapshotBackups of(SnapshotArchive writer, SnapshotArchive reader) {
        if (writer.store() != reader.store()) {
            throw new IllegalArgumentException("the writer and reader archives must share one store, got "
                    + writer.store().location() + " and " + reader.store().location());
        }
        return new ArchiveBackups(writer, reader, DEFAULT_SAVE_TIMEOUT);
    }

    /**
     * The snapshot names, newest first.
     *
     * @throws IOException if the store cannot be listed
     */
    List<String> list() throws IOException;

    /**
     * Downloads, decodes and verifies a snapshot into a new plain etcd database file under {@code
     * directory}. Nothing is left behind on failure.
     *
     * @throws IOException if the snapshot cannot be read, decoded or verified
     */
    Path fetch(String name, Path directory) throws IOException;

    /**
     * Saves a snapshot of the first member of {@code source} that answers (the manager passes its own).
     *
     * @param revision the revision the snapshot is taken at (for naming)
     * @return the name of the new snapshot
     * @throws IOException if etcd or the store fails; nothing is visible in the store then
     */
    String save(SnapshotSource source, long revision) throws IOException;

    /** A short description of the store for logs and status, e.g. its URL without credentials. */
    String describe();
}
