package io.e2d.core.manager;

import io.e2d.core.internal.BoltMembers;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small file e2d keeps in the data dir, {@value #FILE_NAME}: the node name (so a restart without
 * {@code --name} keeps its etcd identity) and, after a restore, the snapshot it came from and whether
 * etcd has started on it (a restore that never started is a copy of the snapshot and may be
 * redone). Written atomically (temp file + rename).
 *
 * @param name the node name
 * @param restoredFrom the snapshot the data dir was restored from, until etcd first ran healthy on it
 */
record NodeFile(String name, Optional<String> restoredFrom) {
    static final String FILE_NAME = "e2d-node.properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(NodeFile.class);

    /** Reads the file of {@code dataDir}, if there is one. */
    static Optional<NodeFile> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Reader r = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
            Properties p = new Properties();
            p.load(r);
            String name = p.getProperty("name", "").trim();
            if (name.isEmpty()) {
                return Optional.empty();
            }
            String restored = p.getProperty("restoredFrom", "").trim();
            return Optional.of(new NodeFile(name, restored.isEmpty() ? Optional.empty() : Optional.of(restored)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the file into {@code dataDir} atomically. */
    void write(Path dataDir) throws IOException {
        Properties p = new Properties();
        p.setProperty("name", name);
        restoredFrom.ifPresent(s -> p.setProperty("restoredFrom", s));
        StringWriter w = new StringWriter();
        p.store(w, "written by e2d; the node name keeps this node's etcd identity across restarts");
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
        try {
            Files.move(
                    tmp,
                    dataDir.resolve(FILE_NAME),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dataDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The node name: the configured one, else the one in this file, else the name etcd's database in
     * the data dir records for the member with peer URL {@code peerUrl} (a data dir of Go e2d or of
     * plain etcd), else a new random one (Go e2d style: 16 upper-case hex digits).
     */
    static String resolveName(Optional<String> configured, Path dataDir, URI peerUrl) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Optional<String> fromFile = read(dataDir).map(NodeFile::name);
        if (fromFile.isPresent()) {
            return fromFile.get();
        }
        return nameFromEtcdData(dataDir, peerUrl).orElseGet(NodeFile::generateName);
    }

    /** The name of the member with {@code peerUrl} in the etcd database of {@code dataDir}, if any. */
    static Optional<String> nameFromEtcdData(Path dataDir, URI peerUrl) {
        Path db = dataDir.resolve("member").resolve("snap").resolve("db");
        if (!Files.isRegularFile(db)) {
            return Optional.empty();
        }
        try {
            Optional<String> name = BoltMembers.nameFor(db, peerUrl);
            if (name.isPresent()) {
                LOG.info(
                        "node name {} read from etcd's member list in {} (member with peer URL {})",
                        name.get(),
                        db,
                        peerUrl);
            } else {
                LOG.warn(
                        "{} has no member with peer URL {}: this node gets a new name and joins as a new member"
                                + " (pass --name to keep the old one)",
                        db,
                        peerUrl);
            }
            return name;
        } catch (IOException e) {
            LOG.warn(
                    "cannot read the member list of {} ({}): this node gets a new name (pass --name to keep the old"
                            + " one)",
                    db,
                    e.getMessage());
            return Optional.empty();
        }
    }

    static String generateName() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    /** Whether {@code dataDir} holds etcd data (a write-ahead log). */
    static boolean hasEtcdData(Path dataDir) {
        Path wal = dataDir.resolve("member").resolve("wal");
        try (var s = Files.list(wal)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return Files.exists(dataDir.resolve("member"));
        }
    }
}
