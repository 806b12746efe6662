package io.e2d.snapshot;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The 32-byte secret that encrypts and authenticates snapshots (AES-256-CTR key and HMAC-SHA-512/256
 * key at once, as in Go e2d). e2d derives it from the CA key ({@code SHA-512/256} of the DER bytes of
 * its first PEM block, see e2d-pki); this module only takes the bytes.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the key.
 *
 * <pre>{@code
 * SnapshotKey key = SnapshotKey.of(Files.readAllBytes(keyFile));
 * }</pre>
 */
public final class SnapshotKey {
    /** Length of the key in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private SnapshotKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Wraps a copy of {@code bytes}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
     */
    public static SnapshotKey of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a snapshot key must be " + LENGTH + " bytes, got " + bytes.length
                    + "; derive it from the CA key (e2d-pki) or pass 64 hex digits");
        }
        return new SnapshotKey(bytes.clone());
    }

    /**
     * Parses 64 hexadecimal digits (surrounding white space is ignored).
     *
     * @throws IllegalArgumentException if the text is not 64 hex digits
     */
    public static SnapshotKey fromHex(String hex) {
        String trimmed = hex.strip();
        byte[] parsed;
        try {
            parsed = HexFormat.of().parseHex(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "a snapshot key in hex must be " + 2 * LENGTH + " hex digits, got non-hex text", e);
        }
        return of(parsed);
    }

    /** Returns a copy of the key bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SnapshotKey[redacted]";
    }
}
