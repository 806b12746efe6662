package io.e2d.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.e2d.snapshot.codec.DecodedSnapshot;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Save -> wipe -> restore of a real etcd's keys through an archive (shared by the file and S3 tests). */
public final class EtcdRoundTrip {
    private EtcdRoundTrip() {}

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    public static Map<String, String> readAll(Client client, String prefix) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (KeyValue kv : client.getKVClient()
                .get(bytes(prefix), GetOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS)
                .getKvs()) {
            out.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Starts etcd in {@code work}, writes keys, saves into {@code archive}, stops and wipes etcd,
     * restores from the archive's latest snapshot and checks every key.
     */
    public static SnapshotInfo run(Path work, SnapshotArchive archive, int keys) throws Exception {
        Path dataDir = work.resolve("data");
        int peerPort = EtcdProcess.freePort();
        Map<String, String> written = new TreeMap<>();
        SnapshotInfo saved;
        try (EtcdProcess etcd = EtcdProcess.start(dataDir, peerPort);
                Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            for (int i = 0; i < keys; i++) {
                String k = String.format("/roundtrip/key-%05d", i);
                String v = "value-" + i + "-" + "x".repeat(i % 97);
                client.getKVClient().put(bytes(k), bytes(v)).get(10, TimeUnit.SECONDS);
                written.put(k, v);
            }
            saved = EtcdSnapshotter.save(etcd.source(), archive, Duration.ofMinutes(1), n -> {});
            assertThat(saved.metadata().orElseThrow().revision()).isGreaterThanOrEqualTo(keys + 1L);
        }
        wipe(dataDir);
        SnapshotInfo latest = archive.latest().orElseThrow();
        assertThat(latest.name()).isEqualTo(saved.name());
        int newPeerPort = EtcdProcess.freePort();
        try (DecodedSnapshot db = archive.fetch(latest, work.resolve("restore-tmp"))) {
            assertThat(db.check().hasHashTrailer()).isTrue();
            EtcdProcess.restore(db.file(), dataDir, newPeerPort, !db.check().hasHashTrailer());
        }
        try (EtcdProcess etcd = EtcdProcess.start(dataDir, newPeerPort);
                Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            assertThat(readAll(client, "/roundtrip/")).isEqualTo(written);
        }
        return saved;
    }

    public static void wipe(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
