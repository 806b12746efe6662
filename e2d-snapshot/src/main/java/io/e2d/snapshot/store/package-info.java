/**
 * Where snapshots live: the {@link io.e2d.snapshot.store.SnapshotStore} SPI and its providers keyed by
 * URL ({@code file://}, {@code s3://}, DigitalOcean Spaces), opened with {@link
 * io.e2d.snapshot.store.SnapshotStores#forUri}. Stores move opaque bytes; encoding, naming,
 * metadata and retention live in {@link io.e2d.snapshot.SnapshotArchive}.
 */
@NullMarked
package io.e2d.snapshot.store;

import org.jspecify.annotations.NullMarked;
