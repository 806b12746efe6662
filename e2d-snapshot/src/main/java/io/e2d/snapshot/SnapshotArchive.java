package io.e2d.snapshot;

import io.e2d.snapshot.codec.DecodedSnapshot;
import io.e2d.snapshot.codec.FileEncryptingOutputStream;
import io.e2d.snapshot.codec.SnapshotCheck;
import io.e2d.snapshot.codec.SnapshotCodecs;
import io.e2d.snapshot.internal.CryptoPieces;
import io.e2d.snapshot.internal.PrivateFiles;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStore.PendingObject;
import io.e2d.snapshot.store.StoredObject;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned snapshots in a {@link SnapshotStore}: naming by time and revision, encoding, metadata
 * sidecars, retention, finding the latest, and verified decoding for restores.
 *
 * <p>Each snapshot is a new object {@code <base>-<yyyyMMddTHHmmss.SSSZ>-r<revision><ext>} beside
 * the URL's base name, plus {@code <that>.meta} ({@link SnapshotMetadata}). An object only appears
 * when complete, so an interrupted save never hides the previous snapshot; after each save the
 * oldest snapshots beyond {@link Builder#retention(int)} are deleted. A Go e2d snapshot stored at
 * the base name itself is listed too ({@link SnapshotInfo#isLegacy()}) and never deleted.
 *
 * <p>zstd with a key compresses before encrypting. The envelope starts with the compressed size, known
 * only at the end, so {@link FileEncryptingOutputStream} reserves the header, streams the ciphertext
 * after it and fills the header in last: straight into the snapshot's temp file in a {@code file://}
 * store, which is then read back once for the stored bytes' SHA-256; into a private spool file
 * (ciphertext only) copied to the store at the end for S3. gzip keeps Go e2d's layout, gzip level 0
 * around the envelope.
 *
 * <p>Thread-safe for concurrent reads; run one save at a time. Does not close the store.
 *
 * <pre>{@code
 * SnapshotArchive archive = SnapshotArchive.builder(store)
 *         .compression(Compression.ZSTD).key(key).retention(5).build();
 * archive.save(Files.newInputStream(db), Files.size(db), revision, clusterId);
 * try (DecodedSnapshot db = archive.fetch(archive.latest().orElseThrow(), tempDir)) {
 *     restore(db.file());
 * }
 * }</pre>
 */
public final class SnapshotArchive {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotArchive.class);

    /** Snapshots kept by default. */
    public static final int DEFAULT_RETENTION = 5;
    /** Suffix of metadata sidecars. */
    public static final String METADATA_SUFFIX = ".meta";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int COPY_BUFFER = SnapshotCodecs.BUFFER_SIZE;

    private final SnapshotStore store;
    private final Compression compression;
    private final Optional<SnapshotKey> key;
    private final int retention;
    private final Clock clock;
    private final Pattern names;
    private final Optional<Path> spoolDirectory;

    private SnapshotArchive(Builder b) {
        this.store = b.store;
        this.compression = b.compression;
        this.key = b.key;
        this.retention = b.retention;
        this.clock = b.clock;
        this.spoolDirectory = b.spoolDirectory;
        this.names = Pattern.compile(
                Pattern.quote(store.location().baseName()) + "-(\\d{8}T\\d{6}\\.\\d{3}Z)-r(\\d+)(\\.[a-z.]+)?");
    }

    /** A builder for an archive in {@code store}. */
    public static Builder builder(SnapshotStore store) {
        return new Builder(store);
    }

    /** The store this archive uses. */
    public SnapshotStore store() {
        return store;
    }

    /**
     * Saves a snapshot read from {@code plaintext} (a bbolt database, read to its end, not closed).
     *
     * @param size exact plaintext bytes (needed when encrypting)
     * @throws IOException if reading or storing fails; nothing is then visible in the store
     */
    public SnapshotInfo save(InputStream plaintext, long size, long revision, long clusterId) throws IOException {
        try (Writer writer = begin(size, revision, clusterId)) {
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = plaintext.read(buffer)) >= 0) {
                writer.stream().write(buffer, 0, n);
            }
            return writer.commit();
        }
    }

    /**
     * Starts a save that the caller feeds through {@link Writer#stream()}; for push sources such
     * as etcd's snapshot RPC.
     *
     * @param size exact plaintext bytes that will be written (needed when encrypting)
     * @throws IOException if the store refuses
     */
    public Writer begin(long size, long revision, long clusterId) throws IOException {
        Instant now = clock.instant();
        String name =
                String.format("%s-%s-r%012d%s", store.location().baseName(), TIME.format(now), revision, extension());
        return new Writer(name, now, size, revision, clusterId);
    }

    /**
     * Whether this archive compresses before encrypting: zstd with a key. The envelope needs its
     * plaintext size first, so its header is filled in after the zstd stream ({@link Writer}). gzip
     * keeps Go e2d's layout (gzip level 0 around the envelope) so that Go e2d can read it.
     */
    private boolean compressesInside() {
        return key.isPresent() && compression == Compression.ZSTD;
    }

    private String extension() {
        String compressed =
                switch (compression) {
                    case NONE -> "";
                    case GZIP -> ".gz";
                    case ZSTD -> ".zst";
                };
        if (compressesInside()) {
            return ".db" + compressed + ".enc";
        }
        return ".db" + (key.isPresent() ? ".enc" : "") + compressed;
    }

    private String codec() {
        List<String> layers = new ArrayList<>();
        String compressed = compression.name().toLowerCase(java.util.Locale.ROOT);
        if (compressesInside()) {
            layers.add("encrypted");
            layers.add(compressed);
        } else {
            if (compression != Compression.NONE) {
                layers.add(compressed);
            }
            if (key.isPresent()) {
                layers.add("encrypted");
            }
        }
        layers.add("bbolt");
        return String.join("+", layers);
    }

    /**
     * Lists the snapshots, newest first.
     *
     * @throws IOException if listing fails
     */
    public List<SnapshotInfo> list() throws IOException {
        List<StoredObject> objects = store.list();
        Map<String, StoredObject> byName = new HashMap<>();
        objects.forEach(o -> byName.put(o.name(), o));
        List<SnapshotInfo> snapshots = new ArrayList<>();
        for (StoredObject o : objects) {
            if (o.name().endsWith(METADATA_SUFFIX)) {
                continue;
            }
            if (o.name().equals(store.location().baseName())) {
                snapshots.add(
                        new SnapshotInfo(o.name(), o.lastModified(), OptionalLong.empty(), o.size(), Optional.empty()));
                continue;
            }
            Matcher m = names.matcher(o.name());
            if (!m.matches()) {
                continue;
            }
            Instant created = Instant.from(TIME.parse(m.group(1)));
            Optional<SnapshotMetadata> metadata =
                    byName.containsKey(o.name() + METADATA_SUFFIX) ? readMetadata(o.name()) : Optional.empty();
            snapshots.add(new SnapshotInfo(
                    o.name(), created, OptionalLong.of(Long.parseLong(m.group(2))), o.size(), metadata));
        }
        snapshots.sort(Comparator.comparing(SnapshotInfo::createdAt)
                .thenComparing(s -> s.revision().orElse(-1))
                .reversed());
        return snapshots;
    }

    private Optional<SnapshotMetadata> readMetadata(String name) {
        try (InputStream in = store.open(name + METADATA_SUFFIX)) {
            return Optional.of(SnapshotMetadata.parse(new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8)));
        } catch (IOException | SnapshotException e) {
            LOG.warn("ignoring unreadable metadata of snapshot {}: {}", name, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The newest snapshot, if any.
     *
     * @throws IOException if listing fails
     */
    public Optional<SnapshotInfo> latest() throws IOException {
        List<SnapshotInfo> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * The snapshot of that name.
     *
     * @throws SnapshotNotFoundException if there is none
     * @throws IOException if listing fails
     */
    public SnapshotInfo find(String name) throws IOException {
        return list().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new SnapshotNotFoundException("no snapshot named " + name + " at "
                        + store.location().uri() + "; list them with e2d snapshot ls"));
    }

    /**
     * Downloads, decodes and verifies a snapshot into a new file under {@code directory}
     * ({@link SnapshotCodecs#decodeToFile}), and checks the stored bytes against the metadata.
     * Nothing is left behind on failure.
     *
     * @throws SnapshotAuthenticationException if the MAC does not match (altered, or another key)
     * @throws SnapshotFormatException if the snapshot is corrupt or its bytes differ from its metadata
     * @throws IOException if reading or writing fails
     */
    public DecodedSnapshot fetch(SnapshotInfo snapshot, Path directory) throws IOException {
        return fetch(snapshot, directory, n -> {});
    }

    /**
     * {@link #fetch(SnapshotInfo, Path)}, calling {@code progress} with the stored bytes read so far.
     *
     * @throws SnapshotAuthenticationException if the MAC does not match (altered, or another key)
     * @throws SnapshotFormatException if the snapshot is corrupt or its bytes differ from its metadata
     * @throws IOException if reading or writing fails
     */
    public DecodedSnapshot fetch(SnapshotInfo snapshot, Path directory, LongConsumer progress) throws IOException {
        DecodedSnapshot decoded;
        try (InputStream in = new ProgressInputStream(store.open(snapshot.name()), progress)) {
            decoded = SnapshotCodecs.decodeToFile(in, key, directory);
        }
        try {
            checkAgainstMetadata(snapshot, decoded.check());
            return decoded;
        } catch (RuntimeException e) {
            decoded.close();
            throw e;
        }
    }

    /**
     * Decodes a snapshot without keeping it and checks everything {@link #fetch} does.
     *
     * @throws SnapshotAuthenticationException if the MAC does not match
     * @throws SnapshotFormatException if the snapshot is corrupt
     * @throws IOException if reading fails
     */
    public SnapshotCheck verify(SnapshotInfo snapshot) throws IOException {
        try (InputStream in = store.open(snapshot.name())) {
            SnapshotCheck check = SnapshotCodecs.verify(in, key);
            checkAgainstMetadata(snapshot, check);
            return check;
        }
    }

    private static void checkAgainstMetadata(SnapshotInfo snapshot, SnapshotCheck check) {
        snapshot.metadata().ifPresent(m -> {
            if (!m.sha256().equals(check.storedSha256()) || m.size() != check.size()) {
                throw new SnapshotFormatException("snapshot " + snapshot.name() + " does not match its metadata:"
                        + " expected " + m.size() + " bytes with stored SHA-256 " + m.sha256() + ", found "
                        + check.size() + " bytes with " + check.storedSha256() + "; the stored object was altered");
            }
        });
    }

    /**
     * Deletes the snapshots (and sidecars) beyond the newest {@code retention}; Go e2d's object is kept.
     *
     * @return what was deleted
     * @throws IOException if listing or deleting fails
     */
    public List<SnapshotInfo> prune() throws IOException {
        List<SnapshotInfo> versioned =
                list().stream().filter(s -> !s.isLegacy()).toList();
        List<SnapshotInfo> deleted = new ArrayList<>();
        for (SnapshotInfo old : versioned.subList(Math.min(retention, versioned.size()), versioned.size())) {
            store.delete(old.name() + METADATA_SUFFIX);
            store.delete(old.name());
            deleted.add(old);
        }
        return deleted;
    }

    /**
     * A snapshot being saved: write plaintext to {@link #stream()}, then {@link #commit()}.
     * Closing without commit discards it. Not thread-safe.
     */
    public final class Writer implements AutoCloseable {
        private final String name;
        private final Instant createdAt;
        private final long size;
        private final long revision;
        private final long clusterId;
        private final PendingObject object;
        private final MessageDigest digest;
        private final CountingOutputStream counter;
        private final OutputStream encoder;
        private final @Nullable Path spool;
        /** The file holding the envelope when compressing inside it: the object's own, or the spool. */
        private final @Nullable FileChannel envelopeFile;

        private long plaintextBytes;
        private LongConsumer progress = n -> {};
        private boolean finished;
        private final OutputStream stream = new FilterOutputStream(OutputStream.nullOutputStream()) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (envelopeFile != null && len > size - plaintextBytes) {
                    throw new IOException("snapshot " + name + " was announced as " + size
                            + " plaintext bytes, but more were written (" + (plaintextBytes + len) + ")");
                }
                encoder.write(b, off, len);
                plaintextBytes += len;
                progress.accept(plaintextBytes);
            }

            @Override
            public void close() {
                // commit() finishes the stream
            }
        };

        private Writer(String name, Instant createdAt, long size, long revision, long clusterId) throws IOException {
            this.name = name;
            this.createdAt = createdAt;
            this.size = size;
            this.revision = revision;
            this.clusterId = clusterId;
            this.object = store.create(name);
            Path spoolFile = null;
            FileChannel file = null;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
                if (compressesInside()) {
                    if (size < 0) {
                        throw new IllegalArgumentException(
                                "an encrypted snapshot needs its plaintext size, got " + size);
                    }
                    Optional<FileChannel> own = object.channel();
                    if (own.isPresent()) {
                        file = own.get(); // the stored bytes are hashed when read back at commit
                        this.counter = new CountingOutputStream(OutputStream.nullOutputStream(), digest);
                    } else {
                        spoolFile = createSpool();
                        file = FileChannel.open(spoolFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                        this.counter = new CountingOutputStream(object.stream(), digest);
                    }
                    FileEncryptingOutputStream envelope =
                            new FileEncryptingOutputStream(file, key.orElseThrow(), zstdBound(size));
                    this.encoder = SnapshotCodecs.encoder(envelope, Compression.ZSTD, Optional.empty(), -1);
                } else {
                    this.counter = new CountingOutputStream(object.stream(), digest);
                    this.encoder = SnapshotCodecs.encoder(
                            new BufferedOutputStream(counter, COPY_BUFFER), compression, key, size);
                }
                this.spool = spoolFile;
                this.envelopeFile = file;
            } catch (NoSuchAlgorithmException e) {
                object.close();
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            } catch (IOException | RuntimeException e) {
                object.close();
                if (spoolFile != null) {
                    if (file != null) {
                        file.close();
                    }
                    Files.deleteIfExists(spoolFile);
                }
                throw e;
            }
        }

        /** Name the snapshot will have. */
        public String name() {
            return name;
        }

        /** Where to write the plaintext; closing it does nothing. */
        public OutputStream stream() {
            return stream;
        }

        /** Calls {@code listener} with the plaintext bytes written so far after each write. */
        public Writer onProgress(LongConsumer listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Finishes the encoding, commits the snapshot, writes its metadata and applies retention.
         *
         * @throws IOException if the plaintext was shorter than announced or storing fails; the
         *     snapshot is then discarded
         */
        public SnapshotInfo commit() throws IOException {
            if (finished) {
                throw new IllegalStateException("snapshot " + name + " is already committed or discarded");
            }
            finished = true;
            try {
                if (envelopeFile != null && plaintextBytes != size) {
                    throw new IOException("snapshot " + name + " was announced as " + size + " plaintext bytes but "
                            + plaintextBytes + " were written; it is discarded");
                }
                encoder.close(); // shielded: does not close the pending object's stream
                if (envelopeFile != null) {
                    Thread forcing = spool == null ? forceInBackground(envelopeFile) : null;
                    try {
                        copyFrom(envelopeFile, counter);
                        counter.flush();
                    } finally {
                        if (forcing != null) {
                            joinUninterruptibly(forcing);
                        }
                    }
                }
                object.commit();
            } finally {
                object.close();
                deleteSpool();
            }
            SnapshotMetadata metadata = new SnapshotMetadata(
                    revision,
                    clusterId,
                    createdAt,
                    plaintextBytes,
                    counter.count,
                    codec(),
                    HexFormat.of().formatHex(digest.digest()));
            try (PendingObject meta = store.create(name + METADATA_SUFFIX)) {
                meta.stream().write(metadata.toText().getBytes(StandardCharsets.UTF_8));
                meta.commit();
            }
            List<SnapshotInfo> deleted = prune();
            if (!deleted.isEmpty()) {
                LOG.info(
                        "retention {}: deleted {} old snapshot(s) at {}",
                        retention,
                        deleted.size(),
                        store.location().uri());
            }
            return new SnapshotInfo(name, createdAt, OptionalLong.of(revision), counter.count, Optional.of(metadata));
        }

        /** Discards the snapshot unless committed. Idempotent. */
        @Override
        public void close() {
            if (!finished) {
                finished = true;
                try {
                    encoder.close();
                } catch (IOException | RuntimeException e) {
                    // discarding anyway: a short envelope refuses to close
                }
                object.close();
                deleteSpool();
            }
        }

        private Path createSpool() throws IOException {
            Path dir = spoolDirectory.orElse(Path.of(System.getProperty("java.io.tmpdir")));
            Files.createDirectories(dir);
            return PrivateFiles.createTempFile(dir, ".e2d-spool-", ".enc");
        }

        private void deleteSpool() {
            if (spool != null) {
                try {
                    Objects.requireNonNull(envelopeFile).close();
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.warn("could not delete the snapshot spool file {}: {}", spool, e.getMessage());
                }
            }
        }
    }

    /**
     * The most bytes zstd writes for {@code size} input bytes: its {@code ZSTD_compressBound} (input plus
     * 1/256, plus a margin for small inputs) with room to spare, so that the envelope's reserved size
     * varint is never too narrow.
     */
    static long zstdBound(long size) {
        return size + (size >> 7) + (1 << 16);
    }

    /**
     * Starts writing {@code file} to disk while the caller reads it back for its SHA-256 (the disk and a
     * core work at once: 0.1 s less for a 270 MB snapshot); the store's commit then finds it clean and
     * reports any error. Errors here are left to that commit.
     */
    private static Thread forceInBackground(FileChannel file) {
        Thread t = new Thread(
                () -> {
                    try {
                        file.force(true);
                    } catch (IOException | RuntimeException e) {
                        // the commit forces again and reports it
                    }
                },
                "e2d-snapshot-fsync");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies {@code file} from its start to {@code out} (positional reads; the position is untouched). */
    private static void copyFrom(FileChannel file, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
        for (long at = 0; ; ) {
            buffer.clear();
            int n = file.read(buffer, at);
            if (n < 0) {
                return;
            }
            out.write(buffer.array(), 0, n);
            at += n;
        }
    }

    /** Reports the bytes read through it. */
    private static final class ProgressInputStream extends java.io.FilterInputStream {
        private final LongConsumer progress;
        private long count;

        ProgressInputStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                progress.accept(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                progress.accept(count);
            }
            return n;
        }
    }

    /**
     * Counts and hashes bytes (in {@link CryptoPieces}) and shields the wrapped stream from close (the
     * store's commit finishes it).
     */
    private static final class CountingOutputStream extends FilterOutputStream {
        private final MessageDigest digest;
        private long count;

        CountingOutputStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            CryptoPieces.update(digest, b, off, len);
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** Builder of {@link SnapshotArchive}; not thread-safe. */
    public static final class Builder {
        private final SnapshotStore store;
        private Compression compression = Compression.NONE;
        private Optional<SnapshotKey> key = Optional.empty();
        private int retention = DEFAULT_RETENTION;
        private Clock clock = Clock.systemUTC();
        private Optional<Path> spoolDirectory = Optional.empty();

        private Builder(SnapshotStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Compression for new snapshots (reading detects it). */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /** Encrypts new snapshots with {@code key}, and decrypts encrypted ones. */
        public Builder key(SnapshotKey key) {
            this.key = Optional.of(key);
            return this;
        }

        /** Encrypts/decrypts with the key when present. */
        public Builder key(Optional<SnapshotKey> key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Number of snapshots kept, at least 1; default {@value #DEFAULT_RETENTION}. */
        public Builder retention(int retention) {
            this.retention = retention;
            return this;
        }

        /**
         * Where zstd + encrypted saves to a store that is not a local directory (S3) spool their
         * encrypted compressed stream (mode 0600, deleted after the save); default
         * {@code java.io.tmpdir}. Needs room for one compressed snapshot.
         */
        public Builder spoolDirectory(Path directory) {
            this.spoolDirectory = Optional.of(directory);
            return this;
        }

        /** Clock that names snapshots. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the archive.
         *
         * @throws IllegalArgumentException if the retention is below 1
         */
        public SnapshotArchive build() {
            if (retention < 1) {
                throw new IllegalArgumentException("--snapshot-retention must be at least 1, got " + retention);
            }
            return new SnapshotArchive(this);
        }
    }
}
