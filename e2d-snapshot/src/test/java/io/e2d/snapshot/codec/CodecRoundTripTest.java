package io.e2d.snapshot.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.snapshot.Compression;
import io.e2d.snapshot.SnapshotAuthenticationException;
import io.e2d.snapshot.SnapshotFormatException;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.SnapshotKeyRequiredException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodecRoundTripTest {
    private static final SnapshotKey KEY = Vectors.key();

    @TempDir
    Path tmp;

    static Stream<Arguments> pipelines() {
        return Stream.of(Compression.values()).flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)));
    }

    static byte[] encode(byte[] plain, Compression c, boolean encrypt) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out =
                SnapshotCodecs.encoder(sink, c, encrypt ? Optional.of(KEY) : Optional.empty(), plain.length)) {
            // uneven writes exercise chunk boundaries
            int off = 0;
            int step = 1;
            while (off < plain.length) {
                int n = Math.min(step, plain.length - off);
                out.write(plain, off, n);
                off += n;
                step = step * 3 + 7;
            }
        }
        return sink.toByteArray();
    }

    @ParameterizedTest(name = "{0} encrypted={1}")
    @MethodSource("pipelines")
    void javaEncodedDecodesBack(Compression c, boolean encrypt) throws IOException {
        byte[] plain = Vectors.syntheticDb(3 * 1024 * 1024 + 17, 42);
        byte[] stored = encode(plain, c, encrypt);
        try (DecodedSnapshot db = SnapshotCodecs.decodeToFile(
                new ByteArrayInputStream(stored), Optional.of(KEY), tmp.resolve("restore"))) {
            assertThat(Files.readAllBytes(db.file())).isEqualTo(plain);
            assertThat(Files.getPosixFilePermissions(db.file()))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(db.check().isEncrypted()).isEqualTo(encrypt);
            assertThat(db.check().storedSize()).isEqualTo(stored.length);
            SnapshotFormat outer =
                    switch (c) {
                        case NONE -> encrypt ? SnapshotFormat.ENCRYPTED : SnapshotFormat.BBOLT;
                        case GZIP -> SnapshotFormat.GZIP;
                        case ZSTD -> SnapshotFormat.ZSTD;
                    };
            assertThat(db.check().layers().get(0)).isEqualTo(outer);
            db.close();
            assertThat(db.file()).doesNotExist();
        }
    }

    @Test
    void gzipAroundCiphertextIsStoredAtLevelZeroLikeGoE2d() throws IOException {
        byte[] plain = Vectors.read("plain.db");
        byte[] stored = encode(plain, Compression.GZIP, true);
        // Stored deflate blocks: the gzip is a few bytes larger than the envelope (10+3+16+n+32).
        assertThat(stored.length).isBetween(plain.length + 61 + 18, plain.length + 61 + 18 + 5 * 8);
        assertThat(encode(plain, Compression.GZIP, false).length).isLessThan(2000);
    }

    @Test
    void encryptedSnapshotsWithTheSameKeyDifferInTheirIv() throws IOException {
        byte[] plain = Vectors.read("plain.db");
        byte[] a = encode(plain, Compression.NONE, true);
        byte[] b = encode(plain, Compression.NONE, true);
        assertThat(Arrays.copyOfRange(a, 13, 29)).isNotEqualTo(Arrays.copyOfRange(b, 13, 29));
    }

    static Stream<Arguments> tampered() {
        byte[] enc = Vectors.read("snapshot.enc");
        int n = enc.length;
        return Stream.of(
                Arguments.of("iv byte 20 (Go test)", flip(enc, 20)),
                Arguments.of("first ciphertext byte", flip(enc, 29)),
                Arguments.of("middle ciphertext byte", flip(enc, n / 2)),
                Arguments.of("last mac byte", flip(enc, n - 1)),
                Arguments.of("truncated in mac", Arrays.copyOf(enc, n - 1)),
                Arguments.of("truncated before mac", Arrays.copyOf(enc, n - 32)),
                Arguments.of("truncated in ciphertext", Arrays.copyOf(enc, n / 2)),
                Arguments.of("truncated in header", Arrays.copyOf(enc, 20)),
                Arguments.of("size varint grown", withSize(enc, 24577)));
    }

    private static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x01;
        return c;
    }

    private static byte[] withSize(byte[] enc, long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(enc, 0, 10);
        try {
            Envelope.writeVarint(out, size);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        out.write(enc, 13, enc.length - 13);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tampered")
    void tamperedOrTruncatedEnvelopeFailsAuthenticationAndLeavesNoFile(String what, byte[] stored) throws IOException {
        Path dir = tmp.resolve("restore");
        assertThatThrownBy(() -> SnapshotCodecs.decodeToFile(new ByteArrayInputStream(stored), Optional.of(KEY), dir))
                .isInstanceOf(SnapshotAuthenticationException.class)
                .hasMessageContaining("encrypted snapshot");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void tamperedGzipWrappedEnvelopeFails() {
        byte[] stored = Vectors.read("snapshot.enc.gz").clone();
        stored[stored.length / 2] ^= 0x10;
        assertThatThrownBy(() -> SnapshotCodecs.verify(new ByteArrayInputStream(stored), Optional.of(KEY)))
                .isInstanceOfAny(SnapshotAuthenticationException.class, java.util.zip.ZipException.class);
    }

    @Test
    void wrongKeyFailsAuthenticationWithACaKeyHint() {
        byte[] other = KEY.bytes();
        other[0] ^= 1;
        assertThatThrownBy(() -> SnapshotCodecs.verify(
                        new ByteArrayInputStream(Vectors.read("snapshot.enc.gz")), Optional.of(SnapshotKey.of(other))))
                .isInstanceOf(SnapshotAuthenticationException.class)
                .hasMessageContaining("--ca-key");
    }

    @Test
    void encryptedWithoutKeyAsksForOne() {
        assertThatThrownBy(() ->
                        SnapshotCodecs.verify(new ByteArrayInputStream(Vectors.read("snapshot.enc")), Optional.empty()))
                .isInstanceOf(SnapshotKeyRequiredException.class)
                .hasMessageContaining("--ca-key");
    }

    @Test
    void unknownFormatIsRejectedWithTheBytesFound() {
        byte[] junk = "hello, this is not a snapshot".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SnapshotCodecs.verify(new ByteArrayInputStream(junk), Optional.empty()))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("68 65 6c 6c");
        assertThatThrownBy(() -> SnapshotCodecs.verify(new ByteArrayInputStream(new byte[0]), Optional.empty()))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("empty stream");
    }

    @Test
    void writingMoreOrFewerBytesThanAnnouncedFails() throws IOException {
        OutputStream tooMuch = new EncryptingOutputStream(new ByteArrayOutputStream(), KEY, 4);
        assertThatThrownBy(() -> tooMuch.write(new byte[5])).isInstanceOf(IOException.class);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream tooFew = new EncryptingOutputStream(sink, KEY, 4);
        tooFew.write(new byte[3]);
        assertThatThrownBy(tooFew::close).isInstanceOf(IOException.class).hasMessageContaining("incomplete");
        assertThat(sink.size()).isEqualTo(10 + 1 + 16 + 3); // no MAC written
    }

    @Test
    void emptyPlaintextRoundTrips() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        new EncryptingOutputStream(sink, KEY, 0).close();
        DecryptingInputStream in = new DecryptingInputStream(new ByteArrayInputStream(sink.toByteArray()), KEY);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.isVerified()).isTrue();
    }

    @ParameterizedTest(name = "{0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 65536, 200 * 1024 + 3})
    void fileEnvelopeIsTheDirectOneAndHoldsOnlyCiphertext(int size) throws IOException {
        byte[] plain = markedPlaintext(size);
        byte[] iv = new byte[16];
        Arrays.fill(iv, (byte) 7);
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        try (OutputStream out = new EncryptingOutputStream(direct, KEY, size, iv)) {
            out.write(plain);
        }
        // Reserved for exactly the size written: the varint has its shortest width, the bytes are the same.
        byte[] inFile = writeFileEnvelope(plain, size, iv, new byte[0]);
        assertThat(inFile).isEqualTo(direct.toByteArray());
        if (size >= 21) {
            assertThat(new String(inFile, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("etcd-plaintext");
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 65536, 200 * 1024 + 3})
    void fileEnvelopeReservedForMorePadsTheSizeAndDecodes(int size) throws IOException {
        byte[] plain = markedPlaintext(size);
        byte[] iv = new byte[16];
        Arrays.fill(iv, (byte) 9);
        byte[] prefix = "left alone".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long reserved = 1L << 40; // a 6-byte varint, where the sizes here need 1 to 3
        byte[] file = writeFileEnvelope(plain, reserved, iv, prefix);
        assertThat(Arrays.copyOfRange(file, 0, prefix.length)).isEqualTo(prefix);
        byte[] envelope = Arrays.copyOfRange(file, prefix.length, file.length);
        assertThat(envelope).hasSize(10 + 6 + 16 + size + 32);
        assertThat(envelope[10 + 5]).as("last byte of the padded varint").isZero();
        assertThat(Envelope.readVarint(new ByteArrayInputStream(envelope, 10, 6)))
                .isEqualTo(size);
        try (DecryptingInputStream in = new DecryptingInputStream(new ByteArrayInputStream(envelope), KEY)) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
            assertThat(in.isVerified()).isTrue();
        }
        if (size == 0) {
            return;
        }
        byte[] tampered = envelope.clone();
        tampered[tampered.length - 33] ^= 1; // the last ciphertext byte
        assertThatThrownBy(() -> {
                    try (DecryptingInputStream in =
                            new DecryptingInputStream(new ByteArrayInputStream(tampered), KEY)) {
                        in.readAllBytes();
                    }
                })
                .isInstanceOf(SnapshotAuthenticationException.class);
    }

    @Test
    void fileEnvelopeRefusesMoreThanReservedAndNeverClosesTheChannel() throws IOException {
        Path path = tmp.resolve("envelope");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                path,
                java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            FileEncryptingOutputStream out = new FileEncryptingOutputStream(channel, KEY, 100);
            out.write(new byte[60]);
            assertThatThrownBy(() -> out.write(new byte[41]))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("at most 100 plaintext bytes, but 101 were written");
            out.write(new byte[40]);
            out.close();
            out.close(); // idempotent: one MAC
            assertThat(out.plaintextSize()).isEqualTo(100);
            assertThat(channel.isOpen()).isTrue();
            assertThat(channel.size()).isEqualTo(10 + 2 + 16 + 100 + 32);
            assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
        }
    }

    private static byte[] markedPlaintext(int size) {
        byte[] plain = new byte[size];
        byte[] marker = "etcd-plaintext-marker".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            plain[i] = marker[i % marker.length];
        }
        return plain;
    }

    /** Writes {@code prefix}, then an envelope reserved for {@code reserved} bytes, in uneven writes. */
    private byte[] writeFileEnvelope(byte[] plain, long reserved, byte[] iv, byte[] prefix) throws IOException {
        Path path = Files.createTempFile(tmp, "envelope", "");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                path, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(prefix));
            try (FileEncryptingOutputStream out = new FileEncryptingOutputStream(channel, KEY, reserved, iv)) {
                for (int off = 0, step = 1; off < plain.length; off += step, step = step * 3 + 7) {
                    out.write(plain, off, Math.min(step, plain.length - off));
                }
            }
            assertThat(channel.position()).isEqualTo(channel.size());
        }
        return Files.readAllBytes(path);
    }
}
