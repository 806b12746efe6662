package io.e2d.core.manager;

import io.e2d.snapshot.EtcdSnapshotter;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotInfo;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@link SnapshotBackups} over an e2d-snapshot {@link SnapshotArchive} (naming, codecs, retention). */
final class ArchiveBackups implements SnapshotBackups {
    private final SnapshotArchive archive;
    private final Duration timeout;

    ArchiveBackups(SnapshotArchive archive, Duration timeout) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public List<String> list() throws IOException {
        return archive.list().stream().map(SnapshotInfo::name).toList();
    }

    @Override
    public Path fetch(String name, Path directory) throws IOException {
        return archive.fetch(archive.find(name), directory).file();
    }

    @Override
    public String save(Client client, long revision) throws IOException {
        return EtcdSnapshotter.save(client, archive, timeout, bytes -> {}).name();
    }

    @Override
    public String describe() {
        return archive.store().location().uri().toString();
    }
}
