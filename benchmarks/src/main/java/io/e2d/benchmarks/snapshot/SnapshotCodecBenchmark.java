package io.e2d.benchmarks.snapshot;

import io.e2d.snapshot.Compression;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.codec.DecryptingInputStream;
import io.e2d.snapshot.codec.EncryptingOutputStream;
import io.e2d.snapshot.codec.SnapshotCodecs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the snapshot streaming path on an in-memory 32 MiB bbolt-like database (every 4 KiB
 * page: a bbolt-ish header, key/value text, random bytes and zero padding, so it compresses about as
 * much as a real etcd database). Each operation pushes the whole database through one pipeline into
 * a null sink (or decodes a pre-encoded one); MB/s = 33.55 / (seconds per operation).
 *
 * <p>Run: see benchmarks/README.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class SnapshotCodecBenchmark {
    /** Database size in bytes. */
    public static final int SIZE = 32 * 1024 * 1024;

    private static final int CHUNK = 128 * 1024;

    private byte[] db = new byte[0];
    private byte[] encrypted = new byte[0];
    private byte[] zstdEncrypted = new byte[0];
    private final SnapshotKey key = SnapshotKey.of(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32
    });

    /** Builds the database and the encoded inputs of the decode benchmarks. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        db = database(SIZE, 42);
        encrypted = encode(Compression.NONE, true);
        zstdEncrypted = encode(Compression.ZSTD, true);
    }

    static byte[] database(int size, long seed) {
        Random random = new Random(seed);
        byte[] out = new byte[size];
        byte[] page = new byte[4096];
        for (int off = 0, n = 0; off < size; off += page.length, n++) {
            java.util.Arrays.fill(page, (byte) 0);
            page[0] = (byte) n;
            page[8] = 0x10;
            int p = 16;
            while (p < 2600) {
                byte[] kv = ("/registry/pods/default/app-" + random.nextInt(5000) + "{\"spec\":{\"replicas\":"
                                + random.nextInt(9) + "},\"rev\":" + n + "}")
                        .getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(kv, 0, page, p, Math.min(kv.length, page.length - p));
                p += kv.length;
            }
            for (int i = 2600; i < 3400; i++) {
                page[i] = (byte) random.nextInt();
            }
            if (n == 0) { // bbolt meta magic 0xED0CDAED, little-endian, so the decoder accepts it
                page[16] = (byte) 0xed;
                page[17] = (byte) 0xda;
                page[18] = (byte) 0x0c;
                page[19] = (byte) 0xed;
            }
            System.arraycopy(page, 0, out, off, Math.min(page.length, size - off));
        }
        return out;
    }

    private byte[] encode(Compression compression, boolean encrypt) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream(SIZE + SIZE / 8);
        try (OutputStream out =
                SnapshotCodecs.encoder(sink, compression, encrypt ? Optional.of(key) : Optional.empty(), SIZE)) {
            write(out);
        }
        return sink.toByteArray();
    }

    private void write(OutputStream out) throws IOException {
        for (int off = 0; off < db.length; off += CHUNK) {
            out.write(db, off, Math.min(CHUNK, db.length - off));
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
        }
        return total;
    }

    private long pipeline(Compression compression, boolean encrypt) throws IOException {
        CountingSink sink = new CountingSink();
        try (OutputStream out =
                SnapshotCodecs.encoder(sink, compression, encrypt ? Optional.of(key) : Optional.empty(), SIZE)) {
            write(out);
        }
        return sink.count;
    }

    /** AES-256-CTR + HMAC-SHA-512/256 (the e2d envelope) alone. */
    @Benchmark
    public long encrypt() throws IOException {
        CountingSink sink = new CountingSink();
        try (OutputStream out = new EncryptingOutputStream(sink, key, SIZE)) {
            write(out);
        }
        return sink.count;
    }

    /** Decrypt + verify the MAC. */
    @Benchmark
    public long decryptVerify() throws IOException {
        try (InputStream in = new DecryptingInputStream(new ByteArrayInputStream(encrypted), key)) {
            return drain(in);
        }
    }

    /** gzip level 9, as Go e2d compresses an unencrypted snapshot. */
    @Benchmark
    public long gzip() throws IOException {
        return pipeline(Compression.GZIP, false);
    }

    /** zstd at {@code SnapshotCodecs.ZSTD_LEVEL} (level 3 before 2026-11-24, level 1 since). */
    @Benchmark
    public long zstd() throws IOException {
        return pipeline(Compression.ZSTD, false);
    }

    /** Encryption wrapped in gzip level 0 (stored blocks), as Go e2d writes compression + encryption. */
    @Benchmark
    public long encryptGzip0() throws IOException {
        return pipeline(Compression.GZIP, true);
    }

    /** Encryption wrapped in zstd level 1: the fastest full save pipeline. */
    @Benchmark
    public long encryptZstd() throws IOException {
        return pipeline(Compression.ZSTD, true);
    }

    /** Full read path: detect, zstd, decrypt, MAC, bbolt check. */
    @Benchmark
    public long decodeZstdEncrypted() throws IOException {
        try (InputStream in = SnapshotCodecs.decoder(new ByteArrayInputStream(zstdEncrypted), Optional.of(key))) {
            return drain(in);
        }
    }

    /** A sink that only counts (keeps the JIT from removing the work). */
    static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
