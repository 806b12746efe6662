package io.e2d.snapshot.store;

import io.e2d.snapshot.SnapshotNotFoundException;
import io.e2d.snapshot.internal.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Snapshots as files in one directory (mode 0700, files 0600; made by the first snapshot). Writes go to
 * a hidden temp file in the same directory, are forced to disk, then atomically renamed (Go e2d
 * overwrote in place).
 */
final class FileSnapshotStore implements SnapshotStore {
    private static final String TEMP_PREFIX = ".tmp-";

    private final SnapshotLocation location;
    private final Path directory;

    FileSnapshotStore(SnapshotLocation location, SnapshotStoreOptions options) throws IOException {
        this.location = location;
        this.directory = Path.of(location.directory().isEmpty() ? "." : location.directory());
        // A missing directory is made by the first create(), so that a save that fails before it (etcd
        // unreachable) leaves nothing behind; a path that cannot become one fails here, at once.
        for (Path p = directory.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw notADirectory(p, null);
                }
                break;
            }
        }
    }

    private IOException notADirectory(Path inTheWay, @Nullable Exception cause) {
        return new IOException(
                "cannot create the snapshot directory " + directory + ": " + inTheWay
                        + " is a file, not a directory; fix the file:// URL",
                cause);
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory, PrivateFiles.permissions("rwx------"));
            } catch (FileAlreadyExistsException e) {
                // createDirectories names only the path that is in the way
                throw notADirectory(Path.of(e.getFile()), e);
            }
        }
    }

    @Override
    public SnapshotLocation location() {
        return location;
    }

    private Path resolve(String name) {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("a snapshot name must be a plain file name, got '" + name + "'");
        }
        return directory.resolve(name);
    }

    @Override
    public PendingObject create(String name) throws IOException {
        Path target = resolve(name);
        createDirectory();
        Path temp =
                Files.createTempFile(directory, TEMP_PREFIX + name + "-", "", PrivateFiles.permissions("rw-------"));
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new PendingObject() {
            private final OutputStream stream = Channels.newOutputStream(channel);
            private boolean done;

            @Override
            public OutputStream stream() {
                return stream;
            }

            @Override
            public Optional<FileChannel> channel() {
                return Optional.of(channel);
            }

            @Override
            public void commit() throws IOException {
                if (done) {
                    throw new IllegalStateException("already committed or discarded: " + target);
                }
                try {
                    channel.force(true);
                    channel.close();
                    try {
                        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    done = true;
                    syncDirectory();
                } finally {
                    if (!done) {
                        close();
                    }
                }
            }

            @Override
            public void close() {
                if (done) {
                    return;
                }
                done = true;
                try {
                    channel.close();
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not discard the temporary snapshot " + temp, e);
                }
            }
        };
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename itself is done.
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        try {
            return Files.newInputStream(resolve(name));
        } catch (NoSuchFileException e) {
            throw new SnapshotNotFoundException("no snapshot " + name + " in " + directory.toAbsolutePath());
        }
    }

    @Override
    public List<StoredObject> list() throws IOException {
        List<StoredObject> objects = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return objects; // made by the first snapshot
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // deleted meanwhile
                }
                if (attrs.isRegularFile()) {
                    objects.add(new StoredObject(
                            name, attrs.size(), attrs.lastModifiedTime().toInstant()));
                }
            }
        }
        return objects;
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(resolve(name));
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "FileSnapshotStore[" + directory.toAbsolutePath() + "]";
    }
}
