package io.e2d.snapshot;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;

/**
 * What e2d records beside each snapshot (a {@code <name>.meta} sidecar in the same store, written
 * after the snapshot itself is committed).
 *
 * @param revision etcd revision when the snapshot started (the snapshot holds at least this revision)
 * @param clusterId etcd cluster id
 * @param createdAt when the snapshot was taken
 * @param size plaintext (bbolt) bytes, including etcd's SHA-256 trailer when kept
 * @param storedSize bytes in the store
 * @param codec layers written, outer first, e.g. {@code gzip+encrypted+bbolt}
 * @param sha256 hex SHA-256 of the stored bytes (checkable without the key)
 */
public record SnapshotMetadata(
        long revision, long clusterId, Instant createdAt, long size, long storedSize, String codec, String sha256) {
    /** Validates. */
    public SnapshotMetadata {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** The sidecar text (Java properties, one {@code key=value} a line). */
    public String toText() {
        return "format=e2d-snapshot-metadata/1\n"
                + "revision=" + revision + "\n"
                + "clusterId=" + Long.toUnsignedString(clusterId, 16) + "\n"
                + "createdAt=" + createdAt + "\n"
                + "size=" + size + "\n"
                + "storedSize=" + storedSize + "\n"
                + "codec=" + codec + "\n"
                + "sha256=" + sha256 + "\n";
    }

    /**
     * Parses {@link #toText()}.
     *
     * @throws SnapshotFormatException if a field is missing or malformed
     */
    public static SnapshotMetadata parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
            return new SnapshotMetadata(
                    Long.parseLong(required(p, "revision")),
                    Long.parseUnsignedLong(required(p, "clusterId"), 16),
                    Instant.parse(required(p, "createdAt")),
                    Long.parseLong(required(p, "size")),
                    Long.parseLong(required(p, "storedSize")),
                    required(p, "codec"),
                    required(p, "sha256"));
        } catch (IOException | RuntimeException e) {
            if (e instanceof SnapshotFormatException f) {
                throw f;
            }
            throw new SnapshotFormatException("snapshot metadata is malformed: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new SnapshotFormatException("snapshot metadata lacks '" + key + "'");
        }
        return v.strip();
    }
}
