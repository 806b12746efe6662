package io.e2d.snapshot.codec;

import io.e2d.snapshot.SnapshotKey;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Constants and primitives of the Go e2d encryption envelope (reference spec §3.2). */
final class Envelope {
    static final byte[] MAGIC = "ENCRYPTED:".getBytes(StandardCharsets.US_ASCII);
    static final int IV_LENGTH = 16;
    static final int MAC_LENGTH = 32;
    static final int MAX_VARINT_LENGTH = 10;
    static final String CIPHER = "AES/CTR/NoPadding";

    static final String MAC = "HmacSHA512/256";

    private Envelope() {}

    static Cipher cipher(int mode, SnapshotKey key, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(mode, new SecretKeySpec(key.bytes(), "AES"), new IvParameterSpec(iv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks " + CIPHER + "; use a standard JDK 17+", e);
        }
    }

    static Mac mac(SnapshotKey key) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(key.bytes(), MAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks " + MAC + "; use a standard JDK 17+", e);
        }
    }

    /** Writes {@code value} as Go's {@code binary.PutVarint}: zig-zag, then unsigned LEB128. */
    static void writeVarint(OutputStream out, long value) throws IOException {
        writeVarint(out, value, varintLength(value));
    }

    /**
     * Writes {@code value} as a zig-zag LEB128 varint of exactly {@code width} bytes: the shortest form
     * padded with continuation bytes ({@code 0x80 ... 0x00}), which LEB128 readers, Go's
     * {@code binary.ReadVarint} included, read as the same value. Lets a header be reserved before the
     * value is known.
     *
     * @throws IllegalArgumentException if the value needs more than {@code width} bytes, or width > 10
     */
    static void writeVarint(OutputStream out, long value, int width) throws IOException {
        if (width < varintLength(value) || width > MAX_VARINT_LENGTH) {
            throw new IllegalArgumentException(
                    value + " does not fit a varint of " + width + " bytes (needs " + varintLength(value) + ")");
        }
        long ux = (value << 1) ^ (value >> 63);
        byte[] buf = new byte[width];
        for (int i = 0; i < width; i++, ux >>>= 7) {
            buf[i] = (byte) ((ux & 0x7f) | (i < width - 1 ? 0x80 : 0));
        }
        out.write(buf);
    }

    /** Bytes of the shortest zig-zag varint of {@code value}. */
    static int varintLength(long value) {
        long ux = (value << 1) ^ (value >> 63);
        int n = 1;
        while (Long.compareUnsigned(ux, 0x80) >= 0) {
            ux >>>= 7;
            n++;
        }
        return n;
    }

    /** Reads a Go {@code binary.Varint}; throws {@link EOFException} if the stream ends inside it. */
    static long readVarint(InputStream in) throws IOException {
        long ux = 0;
        for (int i = 0, shift = 0; i < MAX_VARINT_LENGTH; i++, shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the stream ended inside the envelope's size varint");
            }
            if (i == MAX_VARINT_LENGTH - 1 && b > 1) {
                throw new IOException("the envelope's size varint overflows 64 bits");
            }
            ux |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                long x = ux >>> 1;
                return (ux & 1) == 0 ? x : ~x;
            }
        }
        throw new IOException("the envelope's size varint is longer than " + MAX_VARINT_LENGTH + " bytes");
    }
}
