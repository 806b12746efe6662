package io.e2d.snapshot.codec;

import io.e2d.snapshot.SnapshotKey;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes the Go e2d encryption envelope around exactly {@code plaintextSize} bytes:
 * {@code "ENCRYPTED:" | zigzag varint(size) | IV(16) | AES-256-CTR(plaintext) | HMAC-SHA-512/256(plaintext)}.
 * The header is written by the constructor, the MAC by {@link #close()}.
 *
 * <p>The size must be known in advance (the format puts it first); writing more than it fails at
 * once, and closing after fewer bytes fails without writing the MAC, so a short stream never
 * authenticates. When the size is only known at the end, use {@link FileEncryptingOutputStream}.
 * Not thread-safe. Closing closes the wrapped stream.
 *
 * <pre>{@code
 * try (OutputStream out = new EncryptingOutputStream(Files.newOutputStream(target), key, Files.size(db))) {
 *     Files.copy(db, out);
 * }
 * }</pre>
 */
public final class EncryptingOutputStream extends OutputStream {
    private final OutputStream out;
    private final long size;
    private final EnvelopeCipher cipher;
    private boolean closed;

    /**
     * Writes the header to {@code out} with a fresh random IV.
     *
     * @param plaintextSize the exact number of bytes that will be written, {@code >= 0}
     * @throws IOException if writing the header fails
     */
    public EncryptingOutputStream(OutputStream out, SnapshotKey key, long plaintextSize) throws IOException {
        this(out, key, plaintextSize, EnvelopeCipher.randomIv());
    }

    EncryptingOutputStream(OutputStream out, SnapshotKey key, long plaintextSize, byte[] iv) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        Objects.requireNonNull(key, "key");
        if (plaintextSize < 0) {
            throw new IllegalArgumentException("plaintextSize must be >= 0, got " + plaintextSize);
        }
        this.size = plaintextSize;
        this.cipher = new EnvelopeCipher(key, iv);
        cipher.writeHeader(out, plaintextSize);
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
        long written = cipher.plaintextBytes();
        if (len > size - written) {
            throw new IOException("the envelope was opened for " + size + " plaintext bytes, but more were written ("
                    + (written + len) + "); pass the exact size to EncryptingOutputStream");
        }
        cipher.encrypt(b, off, len, out);
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
            long written = cipher.plaintextBytes();
            if (written != size) {
                throw new IOException("the envelope was opened for " + size + " plaintext bytes, but only " + written
                        + " were written; the snapshot is incomplete and carries no MAC");
            }
            o.write(cipher.mac());
        }
    }
}
