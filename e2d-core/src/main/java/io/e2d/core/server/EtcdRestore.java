package io.e2d.core.server;

import io.e2d.core.internal.DataDirs;
import io.e2d.core.internal.LogTail;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an etcd data dir from a snapshot file (a bbolt database, as {@code etcdctl snapshot save}
 * or Go e2d write it), with {@code etcdctl snapshot restore} on etcd 3.4 and {@code etcdutl snapshot
 * restore} on 3.5+. The member name, peer URLs, initial cluster and token come from the {@link
 * EtcdServerConfig} the member will then start with, so every member restoring the same snapshot
 * with the same initial cluster gets the same cluster id.
 *
 * <p>The hash check is skipped only for a file without the 32-byte SHA-256 trailer that {@code
 * etcdctl snapshot save} appends (Go e2d's snapshots have none); a trailer is verified first. An
 * existing non-empty data dir is never touched: the restore goes to a temporary directory next to it
 * that is renamed into place.
 *
 * <pre>{@code
 * EtcdRestore.Result r = EtcdRestore.restore(Path.of("backup.db"), config, EtcdBinary.resolve(), EtcdRestore.Options.defaults());
 * try (EtcdServer etcd = EtcdServer.create(config)) { etcd.start(); }
 * }</pre>
 */
public final class EtcdRestore {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdRestore.class);
    private static final int SHA256_SIZE = 32;
    private static final int OUTPUT_LINES = 30;

    private EtcdRestore() {}

    /**
     * Restore options.
     *
     * @param bumpRevision how much to raise the restored revision (0 = not at all); with {@code
     *     markCompacted}, it stops watchers from seeing revisions go back (etcdctl 3.4.27+, etcdutl
     *     3.5.10+)
     * @param markCompacted mark the bumped revision as compacted; required together with a bump
     * @param timeout how long the restore tool may run
     */
    public record Options(long bumpRevision, boolean markCompacted, Duration timeout) {
        /** The default restore tool timeout. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

        public Options {
            Objects.requireNonNull(timeout, "timeout");
            if (bumpRevision < 0) {
                throw new InvalidEtcdConfigException("bumpRevision must be >= 0, got " + bumpRevision);
            }
            if ((bumpRevision > 0) != markCompacted) {
                throw new InvalidEtcdConfigException("bumpRevision and markCompacted go together (etcd requires"
                        + " both): use Options.defaults().withBumpRevision(n), got bumpRevision=" + bumpRevision
                        + ", markCompacted=" + markCompacted);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidEtcdConfigException("restore timeout must be positive, got " + timeout);
            }
        }

        /** No revision bump, 5-minute timeout. */
        public static Options defaults() {
            return new Options(0, false, DEFAULT_TIMEOUT);
        }

        /** Raises the revision by {@code amount} and marks it compacted. */
        public Options withBumpRevision(long amount) {
            return new Options(amount, amount > 0, timeout);
        }

        public Options withTimeout(Duration newTimeout) {
            return new Options(bumpRevision, markCompacted, newTimeout);
        }
    }

    /**
     * What a restore did.
     *
     * @param dataDir the restored data dir
     * @param hashVerified whether the snapshot had a SHA-256 trailer that was checked
     * @param command the restore command that ran
     */
    public record Result(Path dataDir, boolean hashVerified, List<String> command) {
        public Result {
            command = List.copyOf(command);
        }
    }

    /** {@link #restore(Path, EtcdServerConfig, EtcdBinary, Options)} with default options. */
    public static Result restore(Path snapshot, EtcdServerConfig target, EtcdBinary binary) {
        return restore(snapshot, target, binary, Options.defaults());
    }

    /**
     * Restores {@code snapshot} into {@code target.dataDir()}. Blocks until the tool finishes.
     *
     * @throws EtcdRestoreException when the data dir exists and is not empty, the snapshot's trailer
     *     does not match its content, or the tool fails
     * @throws EtcdBinaryNotFoundException when the restore tool is missing
     * @throws InvalidEtcdConfigException when an option is not supported by this etcd version
     */
    public static Result restore(Path snapshot, EtcdServerConfig target, EtcdBinary binary, Options options) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(options, "options");
        Path dataDir = target.dataDir().toAbsolutePath();
        if (!Files.isRegularFile(snapshot) || !Files.isReadable(snapshot)) {
            throw new EtcdRestoreException(
                    "snapshot file " + snapshot.toAbsolutePath() + " does not exist or is not readable", List.of());
        }
        if (!isEmptyOrMissing(dataDir)) {
            throw new EtcdRestoreException(
                    "data dir " + dataDir + " is not empty: refusing to restore over it. Move it away (or delete it)"
                            + " first if the snapshot should replace it",
                    List.of());
        }
        boolean trailer = hasVerifiedHashTrailer(snapshot);
        checkSupported(binary, options);

        Path parent = Objects.requireNonNull(dataDir.getParent(), "data dir has no parent: " + dataDir);
        Path temp = parent.resolve("." + dataDir.getFileName() + ".restore-" + UUID.randomUUID());
        List<String> command = command(snapshot.toAbsolutePath(), target, binary, options, temp, !trailer);
        try {
            Files.createDirectories(parent);
            run(command, options.timeout(), temp);
            DataDirs.prepare(temp);
            if (Files.exists(dataDir)) {
                Files.delete(dataDir); // empty (checked above)
            }
            try {
                Files.move(temp, dataDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dataDir);
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new EtcdRestoreException("cannot restore " + snapshot + " into " + dataDir + ": " + e, e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        LOG.info(
                "restored snapshot {} into {} (hash {})",
                snapshot,
                dataDir,
                trailer ? "verified" : "not checked: the file has no SHA-256 trailer");
        return new Result(dataDir, trailer, command);
    }

    /**
     * Whether {@code snapshot} ends with the SHA-256 trailer of {@code etcdctl snapshot save}: its size
     * is a multiple of 512 plus 32 and the last 32 bytes are the SHA-256 of the rest.
     *
     * @throws EtcdRestoreException when the size says "trailer" but the hash does not match (a corrupt
     *     or truncated file), or when the size fits neither form
     */
    public static boolean hasVerifiedHashTrailer(Path snapshot) {
        try (FileChannel ch = FileChannel.open(snapshot, StandardOpenOption.READ)) {
            long size = ch.size();
            long rest = size % 512;
            if (size == 0) {
                throw new EtcdRestoreException("snapshot file " + snapshot + " is empty", List.of());
            }
            if (rest == 0) {
                return false;
            }
            if (rest != SHA256_SIZE) {
                throw new EtcdRestoreException(
                        "snapshot file " + snapshot + " is not an etcd snapshot: its size " + size
                                + " is neither a multiple of 512 (a bare database) nor that plus a 32-byte SHA-256"
                                + " trailer",
                        List.of());
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long body = size - SHA256_SIZE;
            try (InputStream in = java.nio.channels.Channels.newInputStream(ch)) {
                byte[] buf = new byte[64 * 1024];
                long left = body;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("unexpected end of file");
                    }
                    sha.update(buf, 0, n);
                    left -= n;
                }
                byte[] trailer = in.readNBytes(SHA256_SIZE);
                if (!MessageDigest.isEqual(sha.digest(), trailer)) {
                    throw new EtcdRestoreException(
                            "snapshot file " + snapshot + " ends with a SHA-256 trailer that does not match its"
                                    + " content: the file is corrupt or truncated; use another snapshot",
                            List.of());
                }
                return true;
            }
        } catch (IOException e) {
            throw new EtcdRestoreException("cannot read snapshot file " + snapshot + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static List<String> command(
            Path snapshot, EtcdServerConfig target, EtcdBinary binary, Options options, Path outDir, boolean skipHash) {
        EtcdVersion v = binary.version();
        List<String> cmd = new ArrayList<>();
        if (v.isAtLeast(EtcdVersion.V3_5)) {
            Path etcdutl = binary.etcdutl()
                    .orElseThrow(() -> new EtcdBinaryNotFoundException("etcdutl not found next to " + binary.path()
                            + " nor on the PATH: etcd " + v + " restores snapshots with etcdutl; install the etcd"
                            + " release that contains it"));
            cmd.add(etcdutl.toString());
        } else {
            Path etcdctl = binary.etcdctl()
                    .orElseThrow(() -> new EtcdBinaryNotFoundException("etcdctl not found next to " + binary.path()
                            + " nor on the PATH: " + EtcdBinaryNotFoundException.INSTALL_HINT));
            cmd.add(etcdctl.toString());
        }
        cmd.addAll(List.of("snapshot", "restore", snapshot.toString()));
        cmd.add("--name=" + target.name());
        cmd.add("--data-dir=" + outDir);
        cmd.add("--initial-cluster=" + target.initialClusterFlag());
        cmd.add("--initial-cluster-token=" + target.initialClusterToken());
        cmd.add("--initial-advertise-peer-urls="
                + String.join(
                        ",",
                        target.advertisePeerUrls().stream()
                                .map(Object::toString)
                                .toList()));
        if (skipHash) {
            cmd.add("--skip-hash-check=true");
        }
        if (options.bumpRevision() > 0) {
            cmd.add("--bump-revision=" + options.bumpRevision());
            cmd.add("--mark-compacted=true");
        }
        return List.copyOf(cmd);
    }

    /**
     * Whether the restore tool of etcd {@code version} accepts {@code --bump-revision} and {@code
     * --mark-compacted} (etcdctl 3.4.27+, etcdutl 3.5.10+, every 3.6+).
     */
    public static boolean supportsBumpRevision(EtcdVersion version) {
        return version.isAtLeast(EtcdVersion.V3_6)
                || (version.major() == 3 && version.minor() == 5 && version.patch() >= 10)
                || (version.major() == 3 && version.minor() == 4 && version.patch() >= 27);
    }

    private static void checkSupported(EtcdBinary binary, Options options) {
        EtcdVersion v = binary.version();
        if (options.bumpRevision() > 0) {
            if (!supportsBumpRevision(v)) {
                throw new InvalidEtcdConfigException("--bump-revision/--mark-compacted need etcdctl 3.4.27+ or"
                        + " etcdutl 3.5.10+, this etcd is " + v + ": upgrade etcd or restore without a bump");
            }
        }
    }

    private static void run(List<String> command, Duration timeout, Path outDir) throws IOException {
        LOG.info("restoring: {}", String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        p.getOutputStream().close();
        LogTail tail = new LogTail(OUTPUT_LINES);
        Thread pump = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            tail.add(line);
                            LOG.debug("restore: {}", line);
                        }
                    } catch (IOException e) {
                        LOG.debug("restore output closed: {}", e.toString());
                    }
                },
                "e2d-restore-log");
        pump.setDaemon(true);
        pump.start();
        int code;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new EtcdRestoreException(
                        "snapshot restore did not finish within " + timeout.toSeconds() + " s: "
                                + String.join(" ", command),
                        tail.lines());
            }
            code = p.exitValue();
            pump.join(2_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EtcdRestoreException("interrupted during snapshot restore", e);
        }
        if (code != 0) {
            List<String> lines = tail.lines();
            String last = lines.stream()
                    .filter(l -> l.contains("Error") || l.contains("error"))
                    .reduce((a, b) -> b)
                    .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
            throw new EtcdRestoreException(
                    "snapshot restore failed with exit code " + code + ": " + last.strip(), lines);
        }
        if (!Files.isDirectory(outDir.resolve("member"))) {
            throw new EtcdRestoreException(
                    "snapshot restore exited 0 but wrote no member directory in " + outDir, tail.lines());
        }
    }

    private static boolean isEmptyOrMissing(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void deleteQuietly(@Nullable Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, @Nullable IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete the temporary restore dir {}: {}", root, e.toString());
        }
    }
}
