package io.e2d.snapshot.codec;

import io.e2d.snapshot.SnapshotKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The Go e2d encryption envelope around a plaintext whose size is only known at its end (a zstd
 * stream): the envelope starts with the size, so the <b>ciphertext</b> is spooled to a file while
 * the plaintext streams in (encrypted and authenticated on the way, so no plaintext touches the
 * disk), then {@link #writeEnvelope(OutputStream)} writes {@code header | ciphertext | MAC} in one
 * pass. The bytes are the same as {@link EncryptingOutputStream} would write with that size and IV.
 *
 * <p>{@link #close()} only ends the spool (zstd's stream closes what it wraps); the caller owns the
 * spool file (create it 0600, delete it after). Not thread-safe.
 *
 * <pre>{@code
 * SpooledEncryptingOutputStream envelope = new SpooledEncryptingOutputStream(spool, key);
 * try (OutputStream zstd = new ZstdOutputStreamNoFinalizer(envelope, 1)) {
 *     source.transferTo(zstd);
 * }
 * envelope.writeEnvelope(target); // target is not closed
 * }</pre>
 */
public final class SpooledEncryptingOutputStream extends OutputStream {
    private static final int COPY_BUFFER = 128 * 1024;

    private final Path spool;
    private final EnvelopeCipher cipher;
    private final FileChannel channel;
    private final OutputStream ciphertext;
    private boolean closed;
    private boolean written;

    /**
     * Opens {@code spool} (an existing, empty, private file) for the ciphertext, with a fresh random IV.
     *
     * @throws IOException if the spool cannot be opened
     */
    public SpooledEncryptingOutputStream(Path spool, SnapshotKey key) throws IOException {
        this(spool, key, EnvelopeCipher.randomIv());
    }

    SpooledEncryptingOutputStream(Path spool, SnapshotKey key, byte[] iv) throws IOException {
        this.spool = Objects.requireNonNull(spool, "spool");
        this.cipher = new EnvelopeCipher(Objects.requireNonNull(key, "key"), iv);
        this.channel = FileChannel.open(spool, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        this.ciphertext = Channels.newOutputStream(channel);
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
        cipher.encrypt(b, off, len, ciphertext);
    }

    /** Plaintext bytes written so far (the size the envelope will announce). */
    public long plaintextSize() {
        return cipher.plaintextBytes();
    }

    /** Ends the spool; idempotent. The envelope is written by {@link #writeEnvelope}. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }

    /**
     * Closes the spool if needed and writes the whole envelope to {@code out} (not closed):
     * header with the final size, the spooled ciphertext, the MAC. Once only.
     *
     * @throws IOException if reading the spool or writing fails, or the spool changed size
     */
    public void writeEnvelope(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        if (written) {
            throw new IllegalStateException("the envelope was already written");
        }
        written = true;
        close();
        long size = cipher.plaintextBytes();
        cipher.writeHeader(out, size);
        try (InputStream in = Channels.newInputStream(FileChannel.open(spool, StandardOpenOption.READ))) {
            byte[] buffer = new byte[COPY_BUFFER];
            long copied = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                copied += n;
            }
            if (copied != size) {
                throw new IOException("the spool file " + spool + " holds " + copied + " bytes, expected " + size
                        + "; was it changed during the save?");
            }
        }
        out.write(cipher.mac());
    }
}
