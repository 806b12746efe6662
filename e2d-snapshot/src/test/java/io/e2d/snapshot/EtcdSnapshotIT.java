package io.e2d.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.snapshot.codec.Vectors;
import io.e2d.snapshot.store.SnapshotStore;
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
                saved = EtcdSnapshotter.save(client, archive, java.time.Duration.ofMinutes(1), n -> {});
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
}
