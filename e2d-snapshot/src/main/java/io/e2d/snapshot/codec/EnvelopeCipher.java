package io.e2d.snapshot.codec;

import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.internal.CryptoPieces;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * The writing half of one envelope: AES-256-CTR of the plaintext and its HMAC-SHA-512/256,
 * streamed chunk by chunk into reused buffers, plus the header. Shared by
 * {@link EncryptingOutputStream} (size known first) and {@link FileEncryptingOutputStream}
 * (size known last). Not thread-safe.
 */
final class EnvelopeCipher {
    private static final int CHUNK = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] iv;
    private final Cipher cipher;
    private final Mac mac;
    private final byte[] buffer = new byte[CHUNK];
    private long plaintextBytes;

    EnvelopeCipher(SnapshotKey key, byte[] iv) {
        this.iv = iv.clone();
        this.cipher = Envelope.cipher(Cipher.ENCRYPT_MODE, key, iv);
        this.mac = Envelope.mac(key);
    }

    static byte[] randomIv() {
        byte[] iv = new byte[Envelope.IV_LENGTH];
        RANDOM.nextBytes(iv);
        return iv;
    }

    /** Writes {@code "ENCRYPTED:" | zigzag varint(size) | IV} to {@code out}. */
    void writeHeader(OutputStream out, long plaintextSize) throws IOException {
        writeHeader(out, plaintextSize, Envelope.varintLength(plaintextSize));
    }

    /** {@link #writeHeader(OutputStream, long)} with the varint padded to {@code varintWidth} bytes. */
    void writeHeader(OutputStream out, long plaintextSize, int varintWidth) throws IOException {
        out.write(Envelope.MAGIC);
        Envelope.writeVarint(out, plaintextSize, varintWidth);
        out.write(iv);
    }

    /** Bytes of a header whose varint is {@code varintWidth} bytes wide. */
    static int headerLength(int varintWidth) {
        return Envelope.MAGIC.length + varintWidth + Envelope.IV_LENGTH;
    }

    /** Authenticates {@code len} plaintext bytes and writes their ciphertext to {@code out}. */
    void encrypt(byte[] b, int off, int len, OutputStream out) throws IOException {
        try {
            int filled = 0;
            for (int done = 0; done < len; ) {
                int n = Math.min(CryptoPieces.SIZE, len - done);
                mac.update(b, off + done, n);
                filled += cipher.update(b, off + done, n, buffer, filled);
                done += n;
                if (filled > buffer.length - CryptoPieces.SIZE || done == len) {
                    out.write(buffer, 0, filled);
                    filled = 0;
                }
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException("AES/CTR produced more bytes than it consumed", e);
        }
        plaintextBytes += len;
    }

    /** Plaintext bytes encrypted so far. */
    long plaintextBytes() {
        return plaintextBytes;
    }

    /** The MAC over everything encrypted; call once, at the end. */
    byte[] mac() {
        return mac.doFinal();
    }
}
