package io.e2d.pki.internal;

import io.e2d.pki.OverwriteRefusedException;
import io.e2d.pki.PkiFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a set of files all-or-nothing: each file is written to a temporary file in its target directory,
 * created with owner-only permissions and set to its final mode <em>before</em> any content is written,
 * flushed to disk, then renamed over the target. If anything fails, temporary files, targets this call
 * created and directories this call created are removed, and a {@link PkiFileException} explains what to fix.
 * A crash can leave a hidden {@code .*.tmp-*} file, never a truncated target.
 */
public final class AtomicFiles {
    /** rw------- : private keys. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r-- : certificates. */
    public static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One file to write: its path, bytes and POSIX mode. */
    public record Entry(Path target, byte[] content, Set<PosixFilePermission> permissions) {
        /** Validates and copies. */
        public Entry {
            Objects.requireNonNull(target, "target");
            content = content.clone();
            permissions = Set.copyOf(permissions);
        }

        /** A certificate (or other public PEM text), mode 0644. */
        public static Entry publicPem(Path target, String pem) {
            return new Entry(target, pem.getBytes(StandardCharsets.US_ASCII), WORLD_READABLE);
        }

        /** A private key, mode 0600. */
        public static Entry secretPem(Path target, String pem) {
            return new Entry(target, pem.getBytes(StandardCharsets.US_ASCII), OWNER_ONLY);
        }
    }

    private AtomicFiles() {}

    /**
     * Writes every entry, or none of them.
     *
     * @param overwrite whether an existing target may be replaced; if false and one exists, nothing is written
     * @throws OverwriteRefusedException if a target exists and {@code overwrite} is false
     * @throws PkiFileException if a directory cannot be created or a file cannot be written
     */
    public static void writeAll(List<Entry> entries, boolean overwrite) {
        Map<Path, Entry> byTarget = new LinkedHashMap<>();
        for (Entry e : entries) {
            Path target = e.target().toAbsolutePath().normalize();
            if (byTarget.put(target, e) != null) {
                throw new PkiFileException(target, "the same file is written twice: " + target);
            }
        }
        for (Path target : byTarget.keySet()) {
            if (Files.isDirectory(target)) {
                throw new PkiFileException(
                        target, "cannot write " + target + ": it is a directory; choose a file path instead");
            }
            if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new OverwriteRefusedException(
                        target,
                        "refusing to overwrite existing file " + target
                                + "; remove it, choose another path, or pass --force to replace it");
            }
        }
        Deque<Path> createdDirs = new ArrayDeque<>();
        Map<Path, Path> staged = new LinkedHashMap<>();
        List<Path> committed = new ArrayList<>();
        boolean success = false;
        try {
            for (Map.Entry<Path, Entry> me : byTarget.entrySet()) {
                Path target = me.getKey();
                createDirectories(target.getParent(), createdDirs);
                staged.put(target, stage(target, me.getValue()));
            }
            for (Map.Entry<Path, Path> me : staged.entrySet()) {
                Path target = me.getKey();
                boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
                try {
                    Files.move(me.getValue(), target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw failure(target, e);
                }
                if (!existed) {
                    committed.add(target);
                }
            }
            for (Path target : staged.keySet()) {
                syncDirectory(target.getParent());
            }
            success = true;
        } finally {
            if (!success) {
                staged.values().forEach(AtomicFiles::deleteQuietly);
                committed.forEach(AtomicFiles::deleteQuietly);
                while (!createdDirs.isEmpty()) {
                    deleteQuietly(createdDirs.pop());
                }
            }
        }
    }

    private static void createDirectories(Path dir, Deque<Path> created) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                created.push(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw new PkiFileException(
                            p,
                            "cannot create directory " + p + ": a file with that name exists; choose another directory",
                            e);
                }
            } catch (IOException e) {
                throw failure("cannot create directory ", p, e);
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new PkiFileException(dir, "cannot write into " + dir + ": it is not a directory");
        }
    }

    private static Path stage(Path target, Entry entry) {
        Path dir = target.getParent();
        Path tmp = dir.resolve(
                "." + target.getFileName() + ".tmp-" + HexFormat.of().toHexDigits(RANDOM.nextLong()));
        try {
            boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
            if (posix) {
                FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
                Files.createFile(tmp, ownerOnly);
                // Set the final mode explicitly (the umask may have narrowed it) before any byte is written.
                Files.setPosixFilePermissions(tmp, entry.permissions());
            } else {
                Files.createFile(tmp);
            }
        } catch (IOException e) {
            throw failure(target, e);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(entry.content());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure(target, e);
        }
        return tmp;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // Best effort: not every platform can open a directory for fsync; the rename already happened.
        }
    }

    private static PkiFileException failure(Path target, IOException e) {
        return failure("cannot write ", target, e);
    }

    private static PkiFileException failure(String what, Path target, IOException e) {
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied; choose a writable directory or fix its permissions";
        } else if (e instanceof NotDirectoryException || e instanceof NoSuchFileException) {
            reason = "a parent is missing or is not a directory; choose a directory path";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason() + "; choose a writable directory";
        } else {
            reason = String.valueOf(e.getMessage());
        }
        return new PkiFileException(target, what + target + ": " + reason, e);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Nothing more can be done; the original failure is what the caller needs to see.
        }
    }
}
