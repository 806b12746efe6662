package io.e2d.snapshot;

import static org.awaitility.Awaitility.await;

import io.e2d.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd for tests (e2d-testing depends on e2d-core, which depends on this
 * module, so its extension cannot be used here). Fast raft timing, 127.0.0.1, free ports.
 */
public final class EtcdProcess implements AutoCloseable {
    public static final String NAME = "snap";

    private final Process process;
    private final int clientPort;

    private EtcdProcess(Process process, int clientPort) {
        this.process = process;
        this.clientPort = clientPort;
    }

    /** A loopback port no other test can take before etcd binds it ({@link FreePorts}). */
    public static int freePort() {
        return FreePorts.tcp();
    }

    /** Starts etcd on {@code dataDir} (new, or restored with {@link #restore} for {@code peerPort}). */
    public static EtcdProcess start(Path dataDir, int peerPort) throws IOException {
        int clientPort = freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(List.of(
                        System.getenv().getOrDefault("E2D_ETCD_BINARY", "etcd"),
                        "--name=" + NAME,
                        "--data-dir=" + dataDir,
                        "--listen-client-urls=" + client,
                        "--advertise-client-urls=" + client,
                        "--listen-peer-urls=" + peer,
                        "--initial-advertise-peer-urls=" + peer,
                        "--initial-cluster=" + NAME + "=" + peer,
                        "--heartbeat-interval=10",
                        "--election-timeout=100"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        EtcdProcess etcd = new EtcdProcess(p, clientPort);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("etcd exited: " + Files.readString(log));
                        }
                        try {
                            HttpResponse<String> r = http.send(
                                    HttpRequest.newBuilder(URI.create(client + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            return r.body().contains("\"health\":\"true\"");
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
        return etcd;
    }

    /** This etcd as a snapshot source. */
    public SnapshotSource source() {
        return SnapshotSource.of(URI.create(endpoint()));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** {@code etcdctl snapshot restore}, with {@code --skip-hash-check} only when asked. */
    public static void restore(Path snapshot, Path dataDir, int peerPort, boolean skipHashCheck) throws IOException {
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> cmd = new ArrayList<>(List.of(
                "etcdctl",
                "snapshot",
                "restore",
                snapshot.toString(),
                "--data-dir=" + dataDir,
                "--name=" + NAME,
                "--initial-cluster=" + NAME + "=" + peer,
                "--initial-advertise-peer-urls=" + peer));
        if (skipHashCheck) {
            cmd.add("--skip-hash-check");
        }
        run(cmd);
    }

    /** Runs etcdctl (API v3) and returns its output; fails on a non-zero exit. */
    public static String run(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(cmd + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
