package io.e2d.core.manager;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

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
     * The node name: the configured one, else the one in the data dir, else a new random one (Go e2d
     * style: 16 upper-case hex digits).
     */
    static String resolveName(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            return configured.get();
        }
        return read(dataDir).map(NodeFile::name).orElseGet(NodeFile::generateName);
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
