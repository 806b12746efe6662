package io.e2d.snapshot.codec;

import io.e2d.snapshot.SnapshotKey;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Writes the Go e2d encryption envelope around exactly {@code plaintextSize} bytes:
 * {@code "ENCRYPTED:" | zigzag varint(size) | IV(16) | AES-256-CTR(plaintext) | HMAC-SHA-512/256(plaintext)}.
 * The header is written by the constructor, the MAC by {@link #close()}.
 *
 * <p>The size must be known in advance (the format puts it first); writing more than it fails at
 * once, and closing after fewer bytes fails without writing the MAC, so a short stream never
 * authenticates. Not thread-safe. Closing closes the wrapped stream.
 *
 * <pre>{@code
 * try (OutputStream out = new EncryptingOutputStream(Files.newOutputStream(target), key, Files.size(db))) {
 *     Files.copy(db, out);
 * }
 * }</pre>
 */
public final class EncryptingOutputStream extends OutputStream {
    private static final int CHUNK = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OutputStream out;
    private final long size;
    private final Cipher cipher;
    private final Mac mac;
    private final byte[] buffer = new byte[CHUNK];
    private long written;
    private boolean closed;

    /**
     * Writes the header to {@code out} with a fresh random IV.
     *
     * @param plaintextSize the exact number of bytes that will be written, {@code >= 0}
     * @throws IOException if writing the header fails
     */
    public EncryptingOutputStream(OutputStream out, SnapshotKey key, long plaintextSize) throws IOException {
        this(out, key, plaintextSize, randomIv());
    }

    EncryptingOutputStream(OutputStream out, SnapshotKey key, long plaintextSize, byte[] iv) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        Objects.requireNonNull(key, "key");
        if (plaintextSize < 0) {
            throw new IllegalArgumentException("plaintextSize must be >= 0, got " + plaintextSize);
        }
        this.size = plaintextSize;
        this.cipher = Envelope.cipher(Cipher.ENCRYPT_MODE, key, iv);
        this.mac = Envelope.mac(key);
        out.write(Envelope.MAGIC);
        Envelope.writeVarint(out, plaintextSize);
        out.write(iv);
    }

    private static byte[] randomIv() {
        byte[] iv = new byte[Envelope.IV_LENGTH];
        RANDOM.nextBytes(iv);
        return iv;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len > size - written) {
            throw new IOException("the envelope was opened for " + size + " plaintext bytes, but more were written ("
                    + (written + len) + "); pass the exact size to EncryptingOutputStream");
        }
        mac.update(b, off, len);
        int done = 0;
        try {
            while (done < len) {
                int n = Math.min(CHUNK, len - done);
                int produced = cipher.update(b, off + done, n, buffer, 0);
                out.write(buffer, 0, produced);
                done += n;
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException("AES/CTR produced more bytes than it consumed", e);
        }
        written += len;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * Writes the MAC and closes the wrapped stream. Idempotent.
     *
     * @throws IOException if fewer than the announced bytes were written (no MAC is written then)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (OutputStream o = out) {
            if (written != size) {
                throw new IOException("the envelope was opened for " + size + " plaintext bytes, but only " + written
                        + " were written; the snapshot is incomplete and carries no MAC");
            }
            o.write(mac.doFinal());
        }
    }
}
