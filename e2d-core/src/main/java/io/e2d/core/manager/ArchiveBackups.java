package io.e2d.core.manager;

import io.e2d.snapshot.EtcdSnapshotter;
import io.e2d.snapshot.SnapshotArchive;
import io.e2d.snapshot.SnapshotInfo;
import io.e2d.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@link SnapshotBackups} over e2d-snapshot {@link SnapshotArchive}s (naming, codecs, retention): one
 * saves, one (often the same) lists and restores.
 */
final class ArchiveBackups implements SnapshotBackups {
    private final SnapshotArchive writer;
    private final SnapshotArchive reader;
    private final Duration timeout;

    ArchiveBackups(SnapshotArchive writer, SnapshotArchive reader, Duration timeout) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public List<String> list() throws IOException {
        return reader.list().stream().map(SnapshotInfo::name).toList();
    }

    @Override
    public Path fetch(String name, Path directory) throws IOException {
        return reader.fetch(reader.find(name), directory).file();
    }

    @Override
    public String save(SnapshotSource source, long revision) throws IOException {
        return EtcdSnapshotter.save(source, writer, timeout, bytes -> {}).name();
    }

    @Override
    public String describe() {
        return writer.store().location().uri().toString();
    }
}
