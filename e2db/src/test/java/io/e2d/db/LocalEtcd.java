package io.e2d.db;

import io.etcd.jetcd.Client;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-member etcd (/usr/bin/etcd) per test class, on free 127.0.0.1 ports with fast timing.
 * Temporary: to be replaced by e2d-testing's EtcdExtension.
 */
final class LocalEtcd implements BeforeAllCallback, AfterAllCallback {
    private Process process;
    private Path dataDir;
    private String endpoint;
    private Client client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        int clientPort = freePort();
        int peerPort = freePort();
        dataDir = Files.createTempDirectory("e2db-etcd");
        endpoint = "http://127.0.0.1:" + clientPort;
        process = new ProcessBuilder(
                        "/usr/bin/etcd",
                        "--name=e2db-test",
                        "--data-dir=" + dataDir.resolve("data"),
                        "--listen-client-urls=" + endpoint,
                        "--advertise-client-urls=" + endpoint,
                        "--listen-peer-urls=http://127.0.0.1:" + peerPort,
                        "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                        "--initial-cluster=e2db-test=http://127.0.0.1:" + peerPort,
                        "--heartbeat-interval=10",
                        "--election-timeout=100",
                        "--log-level=error")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("etcd.log").toFile())
                .start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(this::healthy);
        client = Client.builder().endpoints(endpoint).build();
    }

    private boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException("etcd exited with " + process.exitValue());
        }
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(endpoint + "/health").toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(500);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.close();
        }
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    String endpoint() {
        return endpoint;
    }

    Client client() {
        return client;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
