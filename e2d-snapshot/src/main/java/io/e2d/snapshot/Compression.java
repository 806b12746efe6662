package io.e2d.snapshot;

/**
 * Compression applied when a snapshot is written. Reading never needs it: formats are detected from
 * their magic bytes.
 */
public enum Compression {
    /** No compression. */
    NONE,
    /**
     * gzip (RFC 1952), as Go e2d writes it: level 9 around a plain snapshot, level 0 (stored blocks)
     * around an encrypted one, since ciphertext does not compress.
     */
    GZIP,
    /** zstd at level 1 (fast; see {@code SnapshotCodecs.ZSTD_LEVEL}); Go e2d cannot read it. */
    ZSTD;

    /**
     * Parses a flag value: {@code gzip}, {@code zstd} or {@code none} (case-insensitive); an empty
     * value means gzip, as a bare {@code --snapshot-compression} does.
     *
     * @throws IllegalArgumentException on any other value
     */
    public static Compression parse(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        switch (v) {
            case "":
            case "gzip":
            case "true":
                return GZIP;
            case "zstd":
                return ZSTD;
            case "none":
            case "false":
                return NONE;
            default:
                throw new IllegalArgumentException(
                        "snapshot compression must be gzip, zstd or none, got '" + value + "'");
        }
    }
}
