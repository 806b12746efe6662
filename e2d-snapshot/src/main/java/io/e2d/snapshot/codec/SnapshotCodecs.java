package io.e2d.snapshot.codec;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.e2d.snapshot.Compression;
import io.e2d.snapshot.SnapshotFormatException;
import io.e2d.snapshot.SnapshotKey;
import io.e2d.snapshot.SnapshotKeyRequiredException;
import io.e2d.snapshot.internal.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Builds the encode and decode pipelines and the verified decode that restores use.
 *
 * <p>Writing: the plaintext (a bbolt snapshot) is optionally encrypted, and the result optionally
 * compressed: compression always wraps encryption, as in Go e2d, and drops to gzip level 0 / zstd
 * level 1 around ciphertext. Reading: every layer is detected from its magic bytes.
 *
 * <pre>{@code
 * try (OutputStream out = SnapshotCodecs.encoder(sink, Compression.GZIP, Optional.of(key), size)) {
 *     source.transferTo(out);
 * }
 * try (DecodedSnapshot db = SnapshotCodecs.decodeToFile(storedStream, Optional.of(key), tmpDir)) {
 *     restore(db.file()); // only reached when the MAC matched
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe; each stream returned is for one thread.
 */
public final class SnapshotCodecs {
    /** Buffer size used by every stage (bytes). */
    public static final int BUFFER_SIZE = 128 * 1024;

    /** gzip level around plaintext (Go e2d: {@code gzip.BestCompression}). */
    public static final int GZIP_LEVEL = 9;
    /** gzip level around ciphertext (Go e2d: {@code gzip.NoCompression}). */
    public static final int GZIP_LEVEL_ENCRYPTED = 0;
    /**
     * zstd level around plaintext: 1, which compresses a 300 MiB etcd database about 2.3x faster than
     * level 3 for about 30% more bytes (benchmarks' {@code SnapshotSaveStages}), so that a save keeps
     * pace with etcd's stream on two cores.
     */
    public static final int ZSTD_LEVEL = 1;
    /** zstd level around ciphertext, which does not compress. */
    public static final int ZSTD_LEVEL_ENCRYPTED = 1;

    /** Nesting limit when reading (e.g. gzip(encrypted(bbolt)) is 3 layers). */
    private static final int MAX_LAYERS = 4;

    private SnapshotCodecs() {}

    /**
     * Wraps {@code sink} so that the plaintext written to the result lands encoded in {@code sink}.
     * Closing the result finishes every layer (writes the MAC, the gzip trailer...) and closes
     * {@code sink}.
     *
     * @param plaintextSize exact number of plaintext bytes that will be written; required (>= 0)
     *     when a key is given, since the envelope starts with it; ignored otherwise
     * @throws IOException if writing a header fails
     */
    public static OutputStream encoder(
            OutputStream sink, Compression compression, Optional<SnapshotKey> key, long plaintextSize)
            throws IOException {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(compression, "compression");
        boolean encrypted = key.isPresent();
        OutputStream out =
                switch (compression) {
                    case NONE -> sink;
                    case GZIP ->
                        new LevelGzipOutputStream(sink, encrypted ? GZIP_LEVEL_ENCRYPTED : GZIP_LEVEL, BUFFER_SIZE);
                    case ZSTD ->
                        new ZstdOutputStreamNoFinalizer(sink, encrypted ? ZSTD_LEVEL_ENCRYPTED : ZSTD_LEVEL)
                                .setChecksum(true);
                };
        if (!encrypted) {
            return out;
        }
        try {
            return new EncryptingOutputStream(out, key.get(), plaintextSize);
        } catch (IOException | RuntimeException e) {
            try {
                out.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Opens the plaintext of a stored snapshot, peeling the layers detected from magic bytes. The
     * result is unauthenticated until it returned {@code -1} (see {@link DecryptingInputStream}).
     *
     * @param key needed only if the snapshot is encrypted
     * @throws SnapshotKeyRequiredException if an encrypted layer is found and no key was given
     * @throws SnapshotFormatException if a layer is not recognised or the innermost is not bbolt
     * @throws IOException if reading fails
     */
    public static DecodingInputStream decoder(InputStream source, Optional<SnapshotKey> key) throws IOException {
        Objects.requireNonNull(source, "source");
        InputStream in = source;
        List<SnapshotFormat> layers = new ArrayList<>();
        while (true) {
            PushbackInputStream peekable = new PushbackInputStream(in, SnapshotFormat.PEEK_LENGTH);
            SnapshotFormat format = SnapshotFormat.detect(peekable);
            layers.add(format);
            if (format == SnapshotFormat.BBOLT) {
                return new DecodingInputStream(peekable, layers);
            }
            if (layers.size() >= MAX_LAYERS) {
                throw new SnapshotFormatException("a snapshot nests at most " + (MAX_LAYERS - 1)
                        + " layers around its bbolt database, found " + layers + "; it is not an e2d snapshot");
            }
            in = switch (format) {
                case GZIP -> new GZIPInputStream(peekable, BUFFER_SIZE);
                case ZSTD -> new ZstdInputStreamNoFinalizer(peekable);
                case ENCRYPTED ->
                    new DecryptingInputStream(
                            peekable,
                            key.orElseThrow(() -> new SnapshotKeyRequiredException(
                                    "the snapshot is encrypted but no key was given: pass --ca-key with the CA key"
                                            + " of the cluster that wrote it")));
                default -> throw unrecognised(peekable, layers);
            };
        }
    }

    private static SnapshotFormatException unrecognised(PushbackInputStream peekable, List<SnapshotFormat> layers)
            throws IOException {
        String head = describeHead(peekable);
        if (layers.contains(SnapshotFormat.ENCRYPTED)) {
            // Garbage after decryption usually means another key or altered bytes: let the MAC say so.
            byte[] buffer = new byte[BUFFER_SIZE];
            while (peekable.read(buffer, 0, buffer.length) >= 0) {
                // drain through the MAC check
            }
        }
        return new SnapshotFormatException("expected a snapshot (gzip, zstd, 'ENCRYPTED:' envelope or bbolt database)"
                + " after layers " + layers.subList(0, layers.size() - 1) + ", found " + head
                + "; is this an etcd or e2d snapshot?");
    }

    /**
     * Decodes a whole snapshot and checks it without keeping it: MAC when encrypted, bbolt header,
     * etcd's SHA-256 trailer when present, stored-bytes SHA-256. Reads {@code source} to its end
     * but does not close it.
     *
     * @throws io.e2d.snapshot.SnapshotAuthenticationException if the MAC does not match or the
     *     encrypted stream is truncated
     * @throws SnapshotFormatException if a layer is not recognised or the trailer does not match
     * @throws IOException if reading fails (including a truncated gzip/zstd stream)
     */
    public static SnapshotCheck verify(InputStream source, Optional<SnapshotKey> key) throws IOException {
        return decodeInto(source, key, OutputStream.nullOutputStream());
    }

    /**
     * The restore safety primitive: decodes {@code source} into a new file in {@code directory}
     * (mode 0600), verifies everything {@link #verify} does and forces the file to disk; only then
     * returns it. On any failure the file is deleted and nothing is returned, so unauthenticated
     * bytes never reach etcd. Does not close {@code source}.
     *
     * @throws io.e2d.snapshot.SnapshotAuthenticationException if the MAC does not match
     * @throws SnapshotFormatException if the snapshot is not recognised or corrupt
     * @throws IOException if reading or writing fails
     */
    public static DecodedSnapshot decodeToFile(InputStream source, Optional<SnapshotKey> key, Path directory)
            throws IOException {
        Files.createDirectories(directory);
        Path file = PrivateFiles.createTempFile(directory, "snapshot-", ".db");
        boolean ok = false;
        try {
            SnapshotCheck check;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                check = decodeInto(source, key, Channels.newOutputStream(channel));
                channel.force(true);
            }
            ok = true;
            return new DecodedSnapshot(file, check);
        } finally {
            if (!ok) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static SnapshotCheck decodeInto(InputStream source, Optional<SnapshotKey> key, OutputStream sink)
            throws IOException {
        MessageDigest stored = sha256();
        CountingInputStream counted = new CountingInputStream(source);
        DigestInputStream raw = new DigestInputStream(counted, stored);
        DecodingInputStream in = decoder(raw, key);
        TrailerDigest trailer = new TrailerDigest();
        byte[] buffer = new byte[BUFFER_SIZE];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            trailer.update(buffer, 0, n);
            sink.write(buffer, 0, n);
        }
        sink.flush();
        // Bytes after the last layer (ignored, as in Go e2d) still count in the stored digest.
        while (raw.read(buffer, 0, buffer.length) >= 0) {
            // drain
        }
        boolean hasTrailer = trailer.hasTrailer();
        if (hasTrailer && !trailer.trailerMatches()) {
            throw new SnapshotFormatException("the snapshot's SHA-256 trailer does not match its "
                    + (trailer.total() - TrailerDigest.TRAILER_LENGTH)
                    + " bytes: the bbolt database is corrupt; use another snapshot");
        }
        return new SnapshotCheck(
                trailer.total(), hasTrailer, in.layers(), HexFormat.of().formatHex(stored.digest()), counted.count());
    }

    private static String describeHead(PushbackInputStream in) throws IOException {
        byte[] head = new byte[SnapshotFormat.PEEK_LENGTH];
        int n = in.readNBytes(head, 0, head.length);
        return SnapshotFormat.describe(head, n);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
