package io.e2d.snapshot.codec;

import java.io.IOException;
import java.io.PushbackInputStream;
import java.util.HexFormat;

/**
 * The layers a snapshot stream can hold, recognised from their first bytes (never from flags), so
 * any node can read what any other wrote, Go e2d included.
 *
 * <pre>{@code
 * PushbackInputStream in = new PushbackInputStream(raw, SnapshotFormat.PEEK_LENGTH);
 * SnapshotFormat format = SnapshotFormat.detect(in); // nothing consumed
 * }</pre>
 */
public enum SnapshotFormat {
    /** gzip, magic {@code 1f 8b}. */
    GZIP,
    /** zstd frame, magic {@code 28 b5 2f fd}. */
    ZSTD,
    /** The Go e2d encryption envelope, magic {@code ENCRYPTED:}. */
    ENCRYPTED,
    /**
     * A bare bbolt database: etcd's snapshot, with or without the 32-byte SHA-256 trailer that the
     * Maintenance snapshot RPC appends (the length tells: a trailer is present when length mod 512 == 32).
     */
    BBOLT,
    /** None of the above. */
    UNKNOWN;

    /** How many bytes {@link #detect} may need to peek; the pushback buffer must hold at least that. */
    public static final int PEEK_LENGTH = 20;

    /** Offset of the bbolt meta magic 0xED0CDAED (little-endian) in the first page. */
    private static final int BBOLT_MAGIC_OFFSET = 16;

    /**
     * Peeks at the first bytes of {@code in} and pushes them back.
     *
     * @throws IOException if reading fails
     */
    public static SnapshotFormat detect(PushbackInputStream in) throws IOException {
        byte[] head = new byte[PEEK_LENGTH];
        int n = in.readNBytes(head, 0, PEEK_LENGTH);
        if (n > 0) {
            in.unread(head, 0, n);
        }
        return of(head, n);
    }

    /** Recognises the format from the first {@code length} bytes of {@code head}. */
    public static SnapshotFormat of(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (length >= 4
                && (head[0] & 0xff) == 0x28
                && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        if (length >= Envelope.MAGIC.length) {
            boolean match = true;
            for (int i = 0; i < Envelope.MAGIC.length; i++) {
                match &= head[i] == Envelope.MAGIC[i];
            }
            if (match) {
                return ENCRYPTED;
            }
        }
        if (length >= BBOLT_MAGIC_OFFSET + 4
                && (head[BBOLT_MAGIC_OFFSET] & 0xff) == 0xed
                && (head[BBOLT_MAGIC_OFFSET + 1] & 0xff) == 0xda
                && (head[BBOLT_MAGIC_OFFSET + 2] & 0xff) == 0x0c
                && (head[BBOLT_MAGIC_OFFSET + 3] & 0xff) == 0xed) {
            return BBOLT;
        }
        return UNKNOWN;
    }

    /** A short description of unrecognised leading bytes, for error messages. */
    static String describe(byte[] head, int length) {
        if (length == 0) {
            return "an empty stream";
        }
        int shown = Math.min(length, 12);
        return "bytes " + HexFormat.ofDelimiter(" ").formatHex(head, 0, shown) + (length > shown ? " ..." : "");
    }
}
