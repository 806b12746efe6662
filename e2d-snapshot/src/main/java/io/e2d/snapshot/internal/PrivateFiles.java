package io.e2d.snapshot.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** Files and directories readable by their owner only (0600 / 0700) where the file system is POSIX. */
public final class PrivateFiles {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {}

    /** Attributes for {@code Files.create*}: {@code perms} such as {@code rw-------}, none off POSIX. */
    public static FileAttribute<?>[] permissions(String perms) {
        if (!POSIX) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))};
    }

    /** A new empty file, mode 0600, in {@code dir}. */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        return Files.createTempFile(dir, prefix, suffix, permissions("rw-------"));
    }
}
