package io.e2d.core.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An etcd binary and its version. Find one with {@link #resolve(Optional)}: an explicit path first,
 * then the {@value #ENV_VAR} environment variable, then {@code etcd} on the {@code PATH}. The
 * companion tools ({@code etcdctl}, {@code etcdutl}) are looked up next to it, then on the PATH.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * EtcdBinary etcd = EtcdBinary.resolve(Optional.empty());
 * System.out.println(etcd.path() + " " + etcd.version());
 * }</pre>
 */
public final class EtcdBinary {
    /** Environment variable naming the etcd binary. */
    public static final String ENV_VAR = "E2D_ETCD_BINARY";

    private static final long VERSION_TIMEOUT_SECONDS = 20;

    private final Path path;
    private final EtcdVersion version;
    private final Map<String, String> env;

    private EtcdBinary(Path path, EtcdVersion version, Map<String, String> env) {
        this.path = path;
        this.version = version;
        this.env = env;
    }

    /**
     * Finds etcd and reads its version by running {@code etcd --version} (blocks up to 20 s).
     *
     * @param explicit a path given by the user (flag or config); when present, nothing else is tried
     * @throws EtcdBinaryNotFoundException when no executable etcd is found, its version cannot be read,
     *     or it is older than 3.4; the message says where e2d looked and how to install etcd
     */
    public static EtcdBinary resolve(Optional<Path> explicit) {
        return resolve(explicit, System.getenv());
    }

    /** {@link #resolve(Optional)} with the default search (no explicit path). */
    public static EtcdBinary resolve() {
        return resolve(Optional.empty());
    }

    /** {@link #resolve(Optional)} against the given environment (for tests and embedding). */
    public static EtcdBinary resolve(Optional<Path> explicit, Map<String, String> env) {
        Objects.requireNonNull(explicit, "explicit");
        Map<String, String> environment = Map.copyOf(env);
        Path found;
        if (explicit.isPresent()) {
            found = explicit.get();
            if (!Files.isRegularFile(found) || !Files.isExecutable(found)) {
                throw new EtcdBinaryNotFoundException("etcd binary " + found + " (from --etcd-binary) "
                        + (Files.exists(found) ? "is not an executable file" : "does not exist") + ": "
                        + EtcdBinaryNotFoundException.INSTALL_HINT);
            }
        } else if (environment.get(ENV_VAR) != null && !environment.get(ENV_VAR).isBlank()) {
            found = Path.of(environment.get(ENV_VAR));
            if (!Files.isRegularFile(found) || !Files.isExecutable(found)) {
                throw new EtcdBinaryNotFoundException("etcd binary " + found + " (from " + ENV_VAR + ") "
                        + (Files.exists(found) ? "is not an executable file" : "does not exist") + ": "
                        + EtcdBinaryNotFoundException.INSTALL_HINT);
            }
        } else {
            found = onPath("etcd", environment)
                    .orElseThrow(() -> new EtcdBinaryNotFoundException("etcd binary not found: " + ENV_VAR
                            + " is not set and there is no etcd on the PATH (" + environment.getOrDefault("PATH", "")
                            + "): " + EtcdBinaryNotFoundException.INSTALL_HINT));
        }
        Path absolute = found.toAbsolutePath();
        EtcdVersion version = readVersion(absolute);
        if (!version.isSupported()) {
            throw new EtcdBinaryNotFoundException("etcd " + version + " at " + absolute
                    + " is not supported: e2d needs etcd 3.4 or a later 3.x; "
                    + EtcdBinaryNotFoundException.INSTALL_HINT);
        }
        return new EtcdBinary(absolute, version, environment);
    }

    /** A binary whose version is already known (no process is run); for tests and tools. */
    public static EtcdBinary of(Path path, EtcdVersion version) {
        return new EtcdBinary(path.toAbsolutePath(), version, System.getenv());
    }

    /** The absolute path of the etcd binary. */
    public Path path() {
        return path;
    }

    /** The version reported by {@code etcd --version}. */
    public EtcdVersion version() {
        return version;
    }

    /** {@code etcdctl}: next to etcd, else on the PATH. */
    public Optional<Path> etcdctl() {
        return companion("etcdctl");
    }

    /** {@code etcdutl} (3.5+): next to etcd, else on the PATH. */
    public Optional<Path> etcdutl() {
        return companion("etcdutl");
    }

    private Optional<Path> companion(String tool) {
        Path dir = path.getParent();
        if (dir != null) {
            Path sibling = dir.resolve(tool);
            if (Files.isRegularFile(sibling) && Files.isExecutable(sibling)) {
                return Optional.of(sibling);
            }
        }
        return onPath(tool, env);
    }

    private static Optional<Path> onPath(String program, Map<String, String> env) {
        String pathVar = env.getOrDefault("PATH", "");
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static EtcdVersion readVersion(Path binary) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--version"));
        String output;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EtcdBinaryNotFoundException(
                        binary + " --version did not finish within " + VERSION_TIMEOUT_SECONDS + " s");
            }
        } catch (IOException e) {
            throw new EtcdBinaryNotFoundException(
                    "cannot run " + binary + " --version: " + e.getMessage() + "; "
                            + EtcdBinaryNotFoundException.INSTALL_HINT,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdBinaryNotFoundException("interrupted while running " + binary + " --version", e);
        }
        return EtcdVersion.fromVersionOutput(output)
                .orElseThrow(() -> new EtcdBinaryNotFoundException(binary + " --version printed no 'etcd Version:"
                        + " x.y.z' line (is it etcd?), got: " + output.strip()));
    }

    @Override
    public String toString() {
        return "etcd " + version + " at " + path;
    }
}
