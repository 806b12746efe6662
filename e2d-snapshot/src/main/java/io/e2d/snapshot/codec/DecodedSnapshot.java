package io.e2d.snapshot.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A snapshot decoded and verified into a temporary file, ready for etcd's restore
 * ({@code etcdctl snapshot restore}; pass {@code --skip-hash-check} only when {@link
 * SnapshotCheck#hasHashTrailer()} is false). Owns the file: {@link #close()} deletes it.
 *
 * @param file the plaintext bbolt file (mode 0600)
 * @param check what the decode verified
 */
public record DecodedSnapshot(Path file, SnapshotCheck check) implements AutoCloseable {
    /** Validates. */
    public DecodedSnapshot {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(check, "check");
    }

    /** Deletes the file. Idempotent. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the decoded snapshot " + file, e);
        }
    }
}
