package io.e2d.snapshot.codec;

import io.e2d.snapshot.SnapshotKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * The Go e2d encryption envelope written into a file when the plaintext's size is only known at its
 * end (a zstd stream). The envelope starts with that size, so the header is reserved, with a size
 * varint as wide as {@code maxPlaintextSize} needs; the ciphertext follows it as the plaintext streams
 * in (encrypted and authenticated on the way: no plaintext touches the disk); {@link #close()} appends
 * the MAC and then fills in the header.
 *
 * <p>The bytes are those {@link EncryptingOutputStream} writes with the same IV, except that the size
 * varint keeps its reserved width: a shorter value is padded with continuation bytes, which LEB128
 * readers (Go's {@code binary.ReadVarint}, protobuf, e2d's own) read as the same number.
 *
 * <p>Writes from the channel's position at construction; never closes the channel. Not thread-safe.
 *
 * <pre>{@code
 * try (FileChannel file = FileChannel.open(path, READ, WRITE, CREATE_NEW);
 *         OutputStream zstd = new ZstdOutputStreamNoFinalizer(
 *                 new FileEncryptingOutputStream(file, key, Zstd.compressBound(size)), 1)) {
 *     source.transferTo(zstd); // closing zstd closes the envelope: MAC, then header
 * }
 * }</pre>
 */
public final class FileEncryptingOutputStream extends OutputStream {
    private final FileChannel channel;
    private final long start;
    private final long maxSize;
    private final int varintWidth;
    private final EnvelopeCipher cipher;
    private final OutputStream ciphertext;
    private boolean closed;

    /**
     * Reserves the header at the channel's position, with a fresh random IV.
     *
     * @param maxPlaintextSize the most bytes that will be written, {@code >= 0}
     * @throws IOException if the channel's position cannot be read or set
     */
    public FileEncryptingOutputStream(FileChannel channel, SnapshotKey key, long maxPlaintextSize) throws IOException {
        this(channel, key, maxPlaintextSize, EnvelopeCipher.randomIv());
    }

    FileEncryptingOutputStream(FileChannel channel, SnapshotKey key, long maxPlaintextSize, byte[] iv)
            throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.cipher = new EnvelopeCipher(Objects.requireNonNull(key, "key"), iv);
        if (maxPlaintextSize < 0) {
            throw new IllegalArgumentException("maxPlaintextSize must be >= 0, got " + maxPlaintextSize);
        }
        this.maxSize = maxPlaintextSize;
        this.varintWidth = Envelope.varintLength(maxPlaintextSize);
        this.start = channel.position();
        channel.position(start + EnvelopeCipher.headerLength(varintWidth));
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
        if (len > maxSize - cipher.plaintextBytes()) {
            throw new IOException("the envelope was reserved for at most " + maxSize + " plaintext bytes, but "
                    + (cipher.plaintextBytes() + len) + " were written");
        }
        cipher.encrypt(b, off, len, ciphertext);
    }

    /** Plaintext bytes written so far (the size the header will announce). */
    public long plaintextSize() {
        return cipher.plaintextBytes();
    }

    /**
     * Appends the MAC and fills in the header; the envelope is then complete. Idempotent. The channel
     * stays open, positioned after the MAC.
     *
     * @throws IOException if writing fails
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ciphertext.write(cipher.mac());
        ByteArrayOutputStream header = new ByteArrayOutputStream(EnvelopeCipher.headerLength(varintWidth));
        cipher.writeHeader(header, cipher.plaintextBytes(), varintWidth);
        ByteBuffer bytes = ByteBuffer.wrap(header.toByteArray());
        for (long at = start; bytes.hasRemaining(); ) {
            at += channel.write(bytes, at);
        }
    }
}
