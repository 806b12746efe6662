package io.e2d.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.snapshot.codec.DecodedSnapshot;
import io.e2d.snapshot.codec.SnapshotCheck;
import io.e2d.snapshot.codec.Vectors;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStore.PendingObject;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SnapshotArchiveTest {
    @TempDir
    Path tmp;

    private SnapshotStore store;
    private Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05.678Z"));

    @BeforeEach
    void open() throws IOException {
        dir = tmp.resolve("backups/nested");
        store = SnapshotStores.forUri("file://" + dir + "/etcd.snapshot", SnapshotStoreOptions.defaults());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private SnapshotArchive archive(Compression c, boolean encrypt, int retention) {
        SnapshotArchive.Builder b = SnapshotArchive.builder(store)
                .compression(c)
                .retention(retention)
                .clock(clock);
        if (encrypt) {
            b.key(Vectors.key());
        }
        return b.build();
    }

    private SnapshotInfo save(SnapshotArchive archive, byte[] db, long revision) throws IOException {
        clock.advance(Duration.ofSeconds(1));
        return archive.save(new ByteArrayInputStream(db), db.length, revision, 0xabcdef0123L);
    }

    @Test
    void savesNamedByTimeAndRevisionWithMetadataAndPrivateFiles() throws IOException {
        byte[] db = Vectors.read("full.db");
        SnapshotInfo saved = save(archive(Compression.GZIP, true, 5), db, 22);
        assertThat(saved.name()).isEqualTo("etcd.snapshot-20260102T030406.678Z-r000000000022.db.enc.gz");
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve(saved.name())))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(saved.name(), saved.name() + ".meta");
        }
        SnapshotInfo listed = archive(Compression.NONE, true, 5).latest().orElseThrow();
        SnapshotMetadata m = listed.metadata().orElseThrow();
        assertThat(m.revision()).isEqualTo(22);
        assertThat(m.clusterId()).isEqualTo(0xabcdef0123L);
        assertThat(m.size()).isEqualTo(db.length);
        assertThat(m.storedSize()).isEqualTo(Files.size(dir.resolve(saved.name())));
        assertThat(m.codec()).isEqualTo("gzip+encrypted+bbolt");
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:06.678Z"));

        SnapshotCheck check = archive(Compression.NONE, true, 5).verify(listed);
        assertThat(check.hasHashTrailer()).isTrue();
        assertThat(check.storedSha256()).isEqualTo(m.sha256());
        try (DecodedSnapshot decoded = archive(Compression.NONE, true, 5).fetch(listed, tmp.resolve("restore"))) {
            assertThat(Files.readAllBytes(decoded.file())).isEqualTo(db);
        }
    }

    /**
     * zstd + encryption: into the snapshot's own temp file in a file:// store (no spool), through a private
     * spool in a store without a local file (as S3).
     */
    @ParameterizedTest(name = "store with a local file: {0}")
    @ValueSource(booleans = {true, false})
    void zstdWithEncryptionCompressesBeforeEncryptingAndFillsTheHeaderInLast(boolean localFile) throws Exception {
        Path spool = tmp.resolve("spool");
        SnapshotArchive archive = SnapshotArchive.builder(localFile ? store : new WithoutLocalFile(store))
                .compression(Compression.ZSTD)
                .key(Vectors.key())
                .spoolDirectory(spool)
                .clock(clock)
                .build();
        byte[] db = Vectors.read("full.db");
        SnapshotInfo saved = save(archive, db, 22);
        assertThat(saved.name()).endsWith(".db.zst.enc");
        SnapshotMetadata m = saved.metadata().orElseThrow();
        assertThat(m.codec()).isEqualTo("encrypted+zstd+bbolt");
        assertThat(m.size()).isEqualTo(db.length);
        assertThat(saved.storedSize()).isLessThan(db.length / 4);
        byte[] stored = Files.readAllBytes(dir.resolve(saved.name()));
        assertThat(stored).hasSize((int) saved.storedSize());
        assertThat(m.sha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
        assertThat(new String(stored, 0, 10, StandardCharsets.US_ASCII)).isEqualTo("ENCRYPTED:");
        // the size varint keeps the width reserved for zstd's bound on db.length: 3 bytes, padded
        assertThat(stored[10] & 0x80).isNotZero();
        assertThat(stored[11] & 0x80).isNotZero();
        assertThat(stored[12] & 0x80).isZero();
        assertThat(spoolFiles(spool)).isEmpty();
        assertThat(Files.exists(spool)).isEqualTo(!localFile);
        SnapshotCheck check = archive.verify(archive.latest().orElseThrow());
        assertThat(check.layers())
                .containsExactly(
                        io.e2d.snapshot.codec.SnapshotFormat.ENCRYPTED,
                        io.e2d.snapshot.codec.SnapshotFormat.ZSTD,
                        io.e2d.snapshot.codec.SnapshotFormat.BBOLT);
        try (DecodedSnapshot decoded = archive.fetch(archive.latest().orElseThrow(), tmp.resolve("restore"))) {
            assertThat(Files.readAllBytes(decoded.file())).isEqualTo(db);
        }

        clock.advance(Duration.ofSeconds(1));
        try (SnapshotArchive.Writer writer = archive.begin(db.length, 23, 1)) {
            writer.stream().write(db, 0, 1000); // interrupted
        }
        clock.advance(Duration.ofSeconds(1));
        try (SnapshotArchive.Writer writer = archive.begin(db.length + 1, 24, 1)) {
            writer.stream().write(db);
            assertThatThrownBy(writer::commit)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("announced as " + (db.length + 1) + " plaintext bytes but " + db.length);
        }
        clock.advance(Duration.ofSeconds(1));
        try (SnapshotArchive.Writer writer = archive.begin(db.length - 1, 25, 1)) {
            assertThatThrownBy(() -> writer.stream().write(db))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("more were written");
        }
        assertThat(spoolFiles(spool)).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(saved.name(), saved.name() + SnapshotArchive.METADATA_SUFFIX);
        }
        assertThat(archive.list()).extracting(SnapshotInfo::name).containsExactly(saved.name());
    }

    private static List<Path> spoolFiles(Path spool) throws IOException {
        if (!Files.exists(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    /** A store that writes through its stream only, as S3 does. */
    private record WithoutLocalFile(SnapshotStore store) implements SnapshotStore {
        @Override
        public io.e2d.snapshot.store.SnapshotLocation location() {
            return store.location();
        }

        @Override
        public PendingObject create(String name) throws IOException {
            PendingObject object = store.create(name);
            return new PendingObject() {
                @Override
                public java.io.OutputStream stream() {
                    return object.stream();
                }

                @Override
                public void commit() throws IOException {
                    object.commit();
                }

                @Override
                public void close() {
                    object.close();
                }
            };
        }

        @Override
        public java.io.InputStream open(String name) throws IOException {
            return store.open(name);
        }

        @Override
        public List<io.e2d.snapshot.store.StoredObject> list() throws IOException {
            return store.list();
        }

        @Override
        public void delete(String name) throws IOException {
            store.delete(name);
        }

        @Override
        public void close() {}
    }

    @Test
    void keepsTheLastNAndFindsTheLatest() throws IOException {
        SnapshotArchive archive = archive(Compression.ZSTD, false, 3);
        byte[] db = Vectors.read("plain.db");
        for (int rev = 10; rev < 15; rev++) {
            save(archive, db, rev);
        }
        List<SnapshotInfo> list = archive.list();
        assertThat(list).extracting(s -> s.revision().orElseThrow()).containsExactly(14L, 13L, 12L);
        assertThat(archive.latest().orElseThrow().revision()).hasValue(14);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(6); // 3 snapshots + 3 sidecars
        }
    }

    @Test
    void interruptedSaveLeavesTheLastGoodSnapshotAndNoDebris() throws IOException {
        SnapshotArchive archive = archive(Compression.GZIP, true, 5);
        byte[] db = Vectors.read("plain.db");
        SnapshotInfo good = save(archive, db, 5);
        clock.advance(Duration.ofSeconds(1));
        try (SnapshotArchive.Writer writer = archive.begin(db.length, 6, 1)) {
            writer.stream().write(db, 0, db.length / 2);
            // the process dies here: no commit
        }
        assertThatThrownBy(() -> {
                    try (SnapshotArchive.Writer writer = archive.begin(db.length, 7, 1)) {
                        writer.stream().write(db, 0, 100);
                        writer.commit(); // short: the envelope refuses to finish
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("incomplete");
        assertThat(archive.list()).extracting(SnapshotInfo::name).containsExactly(good.name());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    void goE2dSnapshotAtTheBaseNameIsListedAndRestorable() throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("etcd.snapshot"), Vectors.read("snapshot.enc.gz"));
        SnapshotArchive archive = archive(Compression.NONE, true, 1);
        SnapshotInfo legacy = archive.latest().orElseThrow();
        assertThat(legacy.isLegacy()).isTrue();
        try (DecodedSnapshot decoded = archive.fetch(legacy, tmp.resolve("restore"))) {
            assertThat(Files.readAllBytes(decoded.file())).isEqualTo(Vectors.read("plain.db"));
        }
        save(archive, Vectors.read("plain.db"), 30);
        save(archive, Vectors.read("plain.db"), 31);
        assertThat(archive.list()).extracting(SnapshotInfo::isLegacy).contains(true);
    }

    @Test
    void alteredStoredObjectIsCaughtByItsMetadataEvenWithoutEncryption() throws IOException {
        SnapshotArchive archive = archive(Compression.NONE, false, 5);
        byte[] db = Vectors.read("plain.db");
        SnapshotInfo saved = save(archive, db, 3);
        byte[] stored = Files.readAllBytes(dir.resolve(saved.name()));
        stored[9000] ^= 1;
        Files.write(dir.resolve(saved.name()), stored);
        Path restore = tmp.resolve("restore");
        assertThatThrownBy(() -> archive.fetch(archive.latest().orElseThrow(), restore))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("does not match its metadata");
        try (Stream<Path> files = Files.list(restore)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void wrongKeyIsAnAuthenticationErrorAndLeavesNothing() throws IOException {
        save(archive(Compression.ZSTD, true, 5), Vectors.read("plain.db"), 3);
        byte[] other = Vectors.key().bytes();
        other[31] ^= 1;
        SnapshotArchive wrong =
                SnapshotArchive.builder(store).key(SnapshotKey.of(other)).build();
        Path restore = tmp.resolve("restore");
        assertThatThrownBy(() -> wrong.fetch(wrong.latest().orElseThrow(), restore))
                .isInstanceOf(SnapshotAuthenticationException.class);
        try (Stream<Path> files = Files.list(restore)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void retentionBelowOneIsRejected() {
        assertThatThrownBy(() -> SnapshotArchive.builder(store).retention(0).build())
                .hasMessageContaining("--snapshot-retention must be at least 1, got 0");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
