package io.e2d.cli.internal;

import io.e2d.cli.CliException;
import io.e2d.cli.ExitCodes;
import io.e2d.core.server.EtcdBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds an etcd data dir from a verified snapshot file with etcd's own tool: {@code etcdutl
 * snapshot restore} (etcd 3.5+) when found, else {@code etcdctl snapshot restore} (3.4).
 * {@code --skip-hash-check} is passed only for a snapshot without etcd's SHA-256 trailer.
 */
public final class EtcdctlRestore {
    private EtcdctlRestore() {}

    /** What to restore and as which member; empty values keep etcd's defaults. */
    public record Request(
            Path snapshot,
            Path dataDir,
            boolean hasHashTrailer,
            Optional<String> name,
            Optional<String> initialCluster,
            Optional<String> initialAdvertisePeerUrls,
            Optional<String> initialClusterToken) {}

    /**
     * Runs the restore.
     *
     * @throws CliException if the tool is missing (exit 3) or fails (exit 1)
     * @throws io.e2d.core.server.EtcdBinaryNotFoundException if no etcd is found
     */
    public static void run(Request r, Map<String, String> env) throws IOException {
        EtcdBinary etcd = EtcdBinary.resolve(Optional.empty(), env);
        String tool = etcd.etcdutl()
                .or(etcd::etcdctl)
                .map(Path::toString)
                .orElseThrow(() -> new CliException(
                        ExitCodes.ETCD_NOT_FOUND,
                        "neither etcdutl nor etcdctl was found beside " + etcd.path()
                                + " or on PATH; install etcd's client tools"));
        List<String> cmd = new ArrayList<>(
                List.of(tool, "snapshot", "restore", r.snapshot().toString(), "--data-dir=" + r.dataDir()));
        r.name().ifPresent(v -> cmd.add("--name=" + v));
        r.initialCluster().ifPresent(v -> cmd.add("--initial-cluster=" + v));
        r.initialAdvertisePeerUrls().ifPresent(v -> cmd.add("--initial-advertise-peer-urls=" + v));
        r.initialClusterToken().ifPresent(v -> cmd.add("--initial-cluster-token=" + v));
        if (!r.hasHashTrailer()) {
            cmd.add("--skip-hash-check");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new CliException(
                        ExitCodes.RUNTIME_ERROR, tool + " snapshot restore did not finish in 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new CliException(ExitCodes.RUNTIME_ERROR, "interrupted during " + tool + " snapshot restore", e);
        }
        if (p.exitValue() != 0) {
            throw new CliException(
                    ExitCodes.RUNTIME_ERROR,
                    tool + " snapshot restore failed (exit " + p.exitValue() + "): " + out.strip());
        }
    }
}
