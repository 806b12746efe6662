package io.e2d.snapshot.codec;

import io.e2d.snapshot.SnapshotKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Go e2d snapshot vectors (directory from the system property {@code e2d.vectors.dir}). */
public final class Vectors {
    private Vectors() {}

    public static Path dir() {
        String base = System.getProperty("e2d.vectors.dir");
        if (base == null) {
            throw new IllegalStateException("set -De2d.vectors.dir to the test-vectors directory");
        }
        return Path.of(base, "e2d-snapshot");
    }

    public static byte[] read(String name) {
        try {
            return Files.readAllBytes(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SnapshotKey key() {
        return SnapshotKey.fromHex(new String(read("key.hex"), java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** A bbolt-looking plaintext of {@code size} bytes: the vector's first page, then pseudo-random bytes. */
    public static byte[] syntheticDb(int size, long seed) {
        byte[] plain = read("plain.db");
        byte[] out = new byte[size];
        new java.util.Random(seed).nextBytes(out);
        System.arraycopy(plain, 0, out, 0, Math.min(size, 4096));
        return out;
    }
}
