package io.e2d.snapshot.codec;

import io.e2d.snapshot.SnapshotAuthenticationException;
import io.e2d.snapshot.SnapshotFormatException;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.internal.CryptoPieces;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Reads the Go e2d encryption envelope and streams the plaintext, authenticating it at the end.
 *
 * <p>Plaintext is handed out before the MAC can be checked (that is what makes the format
 * streamable), so a caller must treat what it read as unauthenticated until this stream returned
 * {@code -1}: the read that delivers the last plaintext byte first reads and checks the MAC, and
 * throws {@link SnapshotAuthenticationException} on a mismatch (altered data, another key) or when
 * the stream ends early (truncation). {@link SnapshotCodecs#decodeToFile} builds the safe restore
 * path on it. Bytes after the MAC are ignored, as in Go e2d. Not thread-safe; closing closes the
 * wrapped stream.
 *
 * <pre>{@code
 * try (InputStream in = new DecryptingInputStream(Files.newInputStream(file), key)) {
 *     in.transferTo(sink); // throws SnapshotAuthenticationException if the MAC does not match
 * }
 * }</pre>
 */
public final class DecryptingInputStream extends InputStream {
    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final Cipher cipher;
    private final Mac mac;
    private final long size;
    private final byte[] buffer = new byte[CHUNK];
    private long remaining;
    private boolean verified;

    /**
     * Reads and checks the header ({@code ENCRYPTED:}, size, IV) from {@code in}.
     *
     * @throws SnapshotFormatException if the stream does not start with the envelope magic
     * @throws SnapshotAuthenticationException if the stream ends inside the header
     * @throws IOException if reading fails
     */
    public DecryptingInputStream(InputStream in, SnapshotKey key) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        Objects.requireNonNull(key, "key");
        byte[] magic = in.readNBytes(Envelope.MAGIC.length);
        if (!Arrays.equals(magic, Envelope.MAGIC)) {
            throw new SnapshotFormatException("expected an encrypted snapshot starting with 'ENCRYPTED:', found "
                    + SnapshotFormat.describe(magic, magic.length));
        }
        try {
            this.size = Envelope.readVarint(in);
        } catch (EOFException e) {
            throw truncated("inside its header");
        }
        if (size < 0) {
            throw new SnapshotFormatException("the encrypted snapshot announces a negative size (" + size + ")");
        }
        byte[] iv = in.readNBytes(Envelope.IV_LENGTH);
        if (iv.length != Envelope.IV_LENGTH) {
            throw truncated("inside its header");
        }
        this.remaining = size;
        this.cipher = Envelope.cipher(Cipher.DECRYPT_MODE, key, iv);
        this.mac = Envelope.mac(key);
        if (size == 0) {
            verify();
        }
    }

    /** The plaintext size announced by the header. */
    public long plaintextSize() {
        return size;
    }

    /** Whether the MAC has been read and matched (after the last plaintext byte was read). */
    public boolean isVerified() {
        return verified;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int want = (int) Math.min(Math.min(len, CHUNK), remaining);
        int n = in.read(buffer, 0, want);
        if (n < 0) {
            throw truncated("after " + (size - remaining) + " of " + size + " bytes");
        }
        try {
            for (int done = 0; done < n; ) {
                int piece = Math.min(CryptoPieces.SIZE, n - done);
                int produced = cipher.update(buffer, done, piece, b, off + done);
                if (produced != piece) {
                    throw new IllegalStateException("AES/CTR produced " + produced + " bytes for " + piece);
                }
                mac.update(b, off + done, piece);
                done += piece;
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException("AES/CTR produced more bytes than it consumed", e);
        }
        remaining -= n;
        if (remaining == 0) {
            verify();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still go through the MAC.
        long skipped = 0;
        byte[] sink = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
        while (skipped < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    private void verify() throws IOException {
        byte[] expected = in.readNBytes(Envelope.MAC_LENGTH);
        if (expected.length != Envelope.MAC_LENGTH) {
            throw truncated("inside its MAC");
        }
        if (!MessageDigest.isEqual(expected, mac.doFinal())) {
            throw new SnapshotAuthenticationException(
                    "the encrypted snapshot failed authentication (HMAC-SHA-512/256 mismatch): it was altered,"
                            + " or it was encrypted with another key; pass the --ca-key it was written with");
        }
        verified = true;
    }

    private static SnapshotAuthenticationException truncated(String where) {
        return new SnapshotAuthenticationException("the encrypted snapshot is truncated: it ends " + where
                + ", so it cannot be authenticated; use a complete copy");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
