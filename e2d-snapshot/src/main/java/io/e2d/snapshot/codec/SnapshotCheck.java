package io.e2d.snapshot.codec;

import java.util.List;
import java.util.Objects;

/**
 * What a full decode established about a snapshot.
 *
 * @param size plaintext (bbolt) bytes, trailer included when present
 * @param hasHashTrailer whether the plaintext ends with etcd's SHA-256 trailer (it was checked)
 * @param layers layers found, outer first, ending with {@link SnapshotFormat#BBOLT}
 * @param storedSha256 hex SHA-256 of the stored bytes as read (before decoding)
 * @param storedSize number of stored bytes read
 */
public record SnapshotCheck(
        long size, boolean hasHashTrailer, List<SnapshotFormat> layers, String storedSha256, long storedSize) {
    /** Validates and copies. */
    public SnapshotCheck {
        Objects.requireNonNull(storedSha256, "storedSha256");
        layers = List.copyOf(layers);
    }

    /** Whether an encryption layer was present (and, the decode having finished, its MAC matched). */
    public boolean isEncrypted() {
        return layers.contains(SnapshotFormat.ENCRYPTED);
    }
}
