package io.e2d.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.snapshot.codec.Vectors;
import io.e2d.snapshot.store.SnapshotStore;
import io.e2d.snapshot.store.SnapshotStore.PendingObject;
import io.e2d.snapshot.store.SnapshotStoreOptions;
import io.e2d.snapshot.store.SnapshotStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdSnapshotIT {
    @TempDir
    Path tmp;

    @Test
    void saveWipeRestoreThroughAFileStoreWithZstdAndEncryption() throws Exception {
        try (SnapshotStore store = SnapshotStores.forUri(
                "file://" + tmp.resolve("backups/etcd.snapshot"), SnapshotStoreOptions.defaults())) {
            SnapshotArchive archive = SnapshotArchive.builder(store)
                    .compression(Compression.ZSTD)
                    .key(Vectors.key())
                    .build();
            SnapshotInfo saved = EtcdRoundTrip.run(tmp.resolve("etcd"), archive, 300);
            assertThat(saved.metadata().orElseThrow().codec()).isEqualTo("encrypted+zstd+bbolt");
            assertThat(saved.metadata().orElseThrow().size() % 512).isEqualTo(32); // trailer kept
        }
    }

    @Test
    void tamperedSnapshotIsRefusedAndTheDataDirIsLeftUntouched() throws Exception {
        Path backups = tmp.resolve("backups");
        try (SnapshotStore store =
                SnapshotStores.forUri("file://" + backups.resolve("etcd.snapshot"), SnapshotStoreOptions.defaults())) {
            SnapshotArchive archive = SnapshotArchive.builder(store)
                    .compression(Compression.GZIP)
                    .key(Vectors.key())
                    .build();
            Path dataDir = tmp.resolve("etcd/data");
            SnapshotInfo saved;
            try (EtcdProcess etcd = EtcdProcess.start(dataDir, EtcdProcess.freePort());
                    io.etcd.jetcd.Client client = io.etcd.jetcd.Client.builder()
                            .endpoints(etcd.endpoint())
                            .build()) {
                client.getKVClient()
                        .put(EtcdRoundTrip.bytes("/k"), EtcdRoundTrip.bytes("v"))
                        .get(10, TimeUnit.SECONDS);
                saved = EtcdSnapshotter.save(etcd.source(), archive, java.time.Duration.ofMinutes(1), n -> {});
            }
            long before;
            try (Stream<Path> files = Files.walk(dataDir)) {
                before = files.count();
            }
            Path object = backups.resolve(saved.name());
            byte[] stored = Files.readAllBytes(object);
            stored[stored.length - 40] ^= 0x55;
            Files.write(object, stored);
            Path restoreTmp = tmp.resolve("restore-tmp");
            // Without metadata the MAC must catch it; with it, the stored hash catches it first.
            store.delete(saved.name() + SnapshotArchive.METADATA_SUFFIX);
            assertThatThrownBy(() -> archive.fetch(archive.latest().orElseThrow(), restoreTmp))
                    .isInstanceOfAny(SnapshotAuthenticationException.class, java.util.zip.ZipException.class);
            try (Stream<Path> files = Files.list(restoreTmp)) {
                assertThat(files).isEmpty();
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                assertThat(files.count()).isEqualTo(before);
            }
        }
    }

    @Test
    void storeFailingMidStreamDiscardsTheSnapshotAndTheNextSaveWorks() throws Exception {
        Path backups = tmp.resolve("backups");
        try (SnapshotStore files = SnapshotStores.forUri(
                        "file://" + backups.resolve("etcd.snapshot"), SnapshotStoreOptions.defaults());
                FailingStore failing = new FailingStore(files, 256 * 1024);
                EtcdProcess etcd = EtcdProcess.start(tmp.resolve("etcd/data"), EtcdProcess.freePort());
                io.etcd.jetcd.Client client = io.etcd.jetcd.Client.builder()
                        .endpoints(etcd.endpoint())
                        .build()) {
            String value = "v".repeat(100 * 1024);
            for (int i = 0; i < 40; i++) { // ~4 MiB: etcd is still streaming when the store fails
                client.getKVClient()
                        .put(EtcdRoundTrip.bytes("/big/" + i), EtcdRoundTrip.bytes(value))
                        .get(10, TimeUnit.SECONDS);
            }
            SnapshotArchive broken = SnapshotArchive.builder(failing).build();
            assertThatThrownBy(
                            () -> EtcdSnapshotter.save(etcd.source(), broken, java.time.Duration.ofMinutes(1), n -> {}))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("disk full");
            try (Stream<Path> left = Files.list(backups)) {
                assertThat(left).isEmpty(); // no temp file, no snapshot
            }
            // nothing was left half-open: the same etcd saves again at once
            SnapshotArchive archive = SnapshotArchive.builder(files)
                    .compression(Compression.ZSTD)
                    .key(Vectors.key())
                    .build();
            java.util.List<Long> progress = new java.util.ArrayList<>();
            SnapshotInfo saved =
                    EtcdSnapshotter.save(etcd.source(), archive, java.time.Duration.ofMinutes(1), progress::add);
            assertThat(archive.list()).extracting(SnapshotInfo::name).containsExactly(saved.name());
            assertThat(progress)
                    .isSorted()
                    .last()
                    .isEqualTo(saved.metadata().orElseThrow().size());
            assertThat(saved.metadata().orElseThrow().size()).isGreaterThan(4_000_000L);
            assertThat(archive.verify(saved).hasHashTrailer()).isTrue();
        }
    }

    @Test
    void etcdRefusingTheCallIsOneErrorWithItsMessageAndNothingIsStored() throws Exception {
        Path backups = tmp.resolve("backups");
        try (SnapshotStore store = SnapshotStores.forUri(
                        "file://" + backups.resolve("etcd.snapshot"), SnapshotStoreOptions.defaults());
                EtcdProcess etcd = EtcdProcess.start(tmp.resolve("etcd/data"), EtcdProcess.freePort())) {
            String ctl = System.getenv().getOrDefault("E2D_ETCDCTL_BINARY", "etcdctl");
            EtcdProcess.run(java.util.List.of(ctl, "--endpoints=" + etcd.endpoint(), "user", "add", "root:pw"));
            EtcdProcess.run(java.util.List.of(ctl, "--endpoints=" + etcd.endpoint(), "auth", "enable"));
            SnapshotArchive archive = SnapshotArchive.builder(store).build();

            // etcd with authentication answers without a token with a gRPC error in trailers only
            assertThatThrownBy(() ->
                            EtcdSnapshotter.save(etcd.source(), archive, java.time.Duration.ofMinutes(1), n -> {}))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageStartingWith("etcd at " + etcd.endpoint() + " failed /etcdserverpb.KV/Range: ")
                    .hasMessageContaining("user name");
            assertThat(archive.list()).isEmpty();
        }
    }

    /** A store whose objects fail once more than {@code limit} bytes were written: a disk that fills up. */
    private static final class FailingStore implements SnapshotStore {
        private final SnapshotStore delegate;
        private final long limit;

        FailingStore(SnapshotStore delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public io.e2d.snapshot.store.SnapshotLocation location() {
            return delegate.location();
        }

        @Override
        public PendingObject create(String name) throws java.io.IOException {
            PendingObject object = delegate.create(name);
            java.io.OutputStream limited = new java.io.FilterOutputStream(object.stream()) {
                private long written;

                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    written += len;
                    if (written > limit) {
                        throw new java.io.IOException("disk full");
                    }
                    out.write(b, off, len);
                }
            };
            return new PendingObject() {
                @Override
                public java.io.OutputStream stream() {
                    return limited;
                }

                @Override
                public void commit() throws java.io.IOException {
                    object.commit();
                }

                @Override
                public void close() {
                    object.close();
                }
            };
        }

        @Override
        public java.io.InputStream open(String name) throws java.io.IOException {
            return delegate.open(name);
        }

        @Override
        public java.util.List<io.e2d.snapshot.store.StoredObject> list() throws java.io.IOException {
            return delegate.list();
        }

        @Override
        public void delete(String name) throws java.io.IOException {
            delegate.delete(name);
        }

        @Override
        public void close() {
            // the test closes the delegate
        }
    }
}
