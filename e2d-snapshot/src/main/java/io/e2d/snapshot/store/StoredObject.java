package io.e2d.snapshot.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An object listed by a {@link SnapshotStore}.
 *
 * @param name name relative to the store's location
 * @param size stored bytes
 * @param lastModified when the backend last wrote it
 */
public record StoredObject(String name, long size, Instant lastModified) {
    /** Validates. */
    public StoredObject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
