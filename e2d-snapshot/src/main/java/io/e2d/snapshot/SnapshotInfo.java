package io.e2d.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot found in an archive.
 *
 * @param name object name in the store
 * @param createdAt time from the name (the object's modification time for a Go e2d snapshot)
 * @param revision revision from the name; empty for a Go e2d snapshot
 * @param storedSize bytes in the store
 * @param metadata the sidecar, when present and readable
 */
public record SnapshotInfo(
        String name, Instant createdAt, OptionalLong revision, long storedSize, Optional<SnapshotMetadata> metadata) {
    /** Validates. */
    public SnapshotInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** Whether this is the single, un-versioned object Go e2d writes at the URL's exact key. */
    public boolean isLegacy() {
        return revision.isEmpty();
    }
}
