package io.e2d.core.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Creates data dirs with mode 0700 and fixes the mode of existing ones (etcd 3.4.9+ insists). */
public final class DataDirs {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDirs() {}

    /**
     * Creates {@code dir} (and missing parents) with mode 0700, or sets 0700 on an existing one, then
     * checks that it is a writable directory.
     *
     * @throws IOException with a message naming the path and the problem
     */
    public static void prepare(Path dir) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("data dir " + dir + " exists and is not a directory");
        }
        if (!Files.exists(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (posix) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        Path probe = Files.createTempFile(dir, ".e2d-write-check", ".tmp");
        Files.delete(probe);
    }

    /**
     * A failure of {@link #prepare} in words, without Java class names: {@code /srv/etcd: permission
     * denied}.
     */
    public static String describe(Exception e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String what = f.getReason() != null ? f.getReason() : kind(f);
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + what;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String kind(FileSystemException f) {
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "exists and is not a directory";
        }
        if (f instanceof NotDirectoryException) {
            return "not a directory";
        }
        return f.getClass().getSimpleName();
    }
}
