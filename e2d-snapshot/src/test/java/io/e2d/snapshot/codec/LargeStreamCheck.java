package io.e2d.snapshot.codec;

import io.e2d.snapshot.Compression;
import io.e2d.snapshot.SnapshotKey;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Run in a JVM with a small heap by {@link LargeStreamTest}: encodes {@code args[0]} MiB of
 * synthetic bbolt-looking data with zstd + encryption into a file, decodes and verifies it, and
 * prints {@code OK <bytes> <crc> <encodeMillis> <decodeMillis>}.
 */
public final class LargeStreamCheck {
    private LargeStreamCheck() {}

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[0]) * 1024 * 1024;
        Path file = Path.of(args[1]);
        SnapshotKey key = SnapshotKey.of(new byte[32]);
        byte[] chunk = Vectors.syntheticDb(1024 * 1024, 1);
        CRC32 written = new CRC32();
        long t0 = System.nanoTime();
        try (OutputStream out = SnapshotCodecs.encoder(
                new BufferedOutputStream(Files.newOutputStream(file), SnapshotCodecs.BUFFER_SIZE),
                Compression.ZSTD,
                Optional.of(key),
                size)) {
            for (long done = 0; done < size; done += chunk.length) {
                chunk[4096] = (byte) (done >>> 20); // vary the content a little
                out.write(chunk);
                written.update(chunk);
            }
        }
        long t1 = System.nanoTime();
        CRC32 read = new CRC32();
        long total = 0;
        try (InputStream in = SnapshotCodecs.decoder(Files.newInputStream(file), Optional.of(key))) {
            byte[] buf = new byte[SnapshotCodecs.BUFFER_SIZE];
            int n;
            while ((n = in.read(buf)) >= 0) {
                read.update(buf, 0, n);
                total += n;
            }
        }
        long t2 = System.nanoTime();
        Files.delete(file);
        if (total != size || read.getValue() != written.getValue()) {
            System.out.println("MISMATCH " + total + " " + read.getValue() + " " + written.getValue());
            System.exit(1);
        }
        System.out.println("OK " + total + " " + read.getValue() + " " + (t1 - t0) / 1_000_000 + " "
                + (t2 - t1) / 1_000_000 + " heap=" + Runtime.getRuntime().maxMemory());
    }
}
