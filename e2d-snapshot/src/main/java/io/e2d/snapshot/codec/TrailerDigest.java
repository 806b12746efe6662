package io.e2d.snapshot.codec;

import io.e2d.snapshot.internal.CryptoPieces;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of everything but the last 32 bytes seen, plus those last 32 bytes: enough to check
 * etcd's snapshot trailer while streaming, without knowing the length in advance.
 */
final class TrailerDigest {
    static final int TRAILER_LENGTH = 32;

    private final MessageDigest digest;
    private final byte[] tail = new byte[TRAILER_LENGTH];
    private int tailLength;
    private long total;

    TrailerDigest() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    void update(byte[] b, int off, int len) {
        total += len;
        if (len >= TRAILER_LENGTH) {
            digest.update(tail, 0, tailLength);
            CryptoPieces.update(digest, b, off, len - TRAILER_LENGTH);
            System.arraycopy(b, off + len - TRAILER_LENGTH, tail, 0, TRAILER_LENGTH);
            tailLength = TRAILER_LENGTH;
            return;
        }
        int overflow = tailLength + len - TRAILER_LENGTH;
        if (overflow > 0) {
            digest.update(tail, 0, overflow);
            System.arraycopy(tail, overflow, tail, 0, tailLength - overflow);
            tailLength -= overflow;
        }
        System.arraycopy(b, off, tail, tailLength, len);
        tailLength += len;
    }

    long total() {
        return total;
    }

    /** Whether the length says a trailer is present (etcd's rule: length mod 512 == 32). */
    boolean hasTrailer() {
        return total % 512 == TRAILER_LENGTH;
    }

    /** Whether the last 32 bytes are the SHA-256 of the bytes before them. Call once, at the end. */
    boolean trailerMatches() {
        return tailLength == TRAILER_LENGTH && MessageDigest.isEqual(digest.digest(), tail);
    }
}
