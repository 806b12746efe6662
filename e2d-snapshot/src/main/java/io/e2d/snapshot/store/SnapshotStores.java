package io.e2d.snapshot.store;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Opens the {@link SnapshotStore} for a snapshot URL. One provider per {@link SnapshotLocation.Type}.
 *
 * <pre>{@code
 * try (SnapshotStore store = SnapshotStores.forUri("file:///var/lib/e2d/snapshots/etcd.snapshot",
 *         SnapshotStoreOptions.defaults())) { ... }
 * }</pre>
 */
public final class SnapshotStores {
    /** Opens a store for a parsed location. */
    @FunctionalInterface
    interface Provider {
        SnapshotStore open(SnapshotLocation location, SnapshotStoreOptions options) throws IOException;
    }

    private static final Map<SnapshotLocation.Type, Provider> PROVIDERS = Map.of(
            SnapshotLocation.Type.FILE, FileSnapshotStore::new,
            SnapshotLocation.Type.S3, S3SnapshotStore::new,
            SnapshotLocation.Type.SPACES, S3SnapshotStore::new);

    private SnapshotStores() {}

    /**
     * Parses {@code url} and opens its store.
     *
     * @throws IllegalArgumentException if the URL is not a supported snapshot URL (the message lists the forms)
     * @throws IOException if the backend cannot be reached or prepared (directory creation...)
     */
    public static SnapshotStore forUri(String url, SnapshotStoreOptions options) throws IOException {
        return forLocation(SnapshotLocation.parse(url), options);
    }

    /** Opens the store of an already parsed location; see {@link #forUri}. */
    public static SnapshotStore forLocation(SnapshotLocation location, SnapshotStoreOptions options)
            throws IOException {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(options, "options");
        return PROVIDERS.get(location.type()).open(location, options);
    }
}
