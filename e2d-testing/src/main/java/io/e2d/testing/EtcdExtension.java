package io.e2d.testing;

import io.e2d.core.server.EtcdBinary;
import io.e2d.core.server.EtcdServer;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.core.server.TlsFiles;
import io.e2d.pki.KeyType;
import io.e2d.pki.Pki;
import io.e2d.pki.PkiConfig;
import io.e2d.pki.PkiFiles;
import io.e2d.testkit.FreePorts;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives a test a real etcd: one member or a 3/5-member cluster of real
 * {@code etcd} processes on free loopback ports, in a temporary directory, with fast election timing.
 * Only the etcd binary is needed (no Docker): it is found like {@link EtcdBinary#resolve()} does
 * ({@code E2D_ETCD_BINARY}, then the PATH).
 *
 * <p>Register it on a {@code static} field to share one etcd among the tests of a class (started
 * before all, torn down after all; members stopped by a test are restarted before the next test), or
 * on an instance field for a fresh etcd per test:
 *
 * <pre>{@code
 * class MyTest {
 *     @RegisterExtension
 *     static final EtcdExtension etcd = EtcdExtension.single();
 *
 *     @Test
 *     void putGet() throws Exception {
 *         etcd.client().getKVClient().put(key, value).get(5, TimeUnit.SECONDS);
 *     }
 * }
 * }</pre>
 *
 * <p>Accessors may be called from the test thread while etcd runs; the extension is not meant to be
 * driven from several threads at once.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** Heartbeat used for a single member. */
    public static final Duration SINGLE_HEARTBEAT = Duration.ofMillis(10);
    /** Heartbeat used for clusters: a little slower so that busy CI machines do not trigger elections. */
    public static final Duration CLUSTER_HEARTBEAT = Duration.ofMillis(20);

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final int size;
    private UnaryOperator<EtcdServerConfig.Builder> customizer = UnaryOperator.identity();
    private boolean tls;
    private @Nullable PkiFiles pki;

    private @Nullable Path baseDir;
    private @Nullable EtcdBinary binary;
    private final List<EtcdServerConfig> configs = new ArrayList<>();
    private final List<EtcdServer> servers = new ArrayList<>();
    private @Nullable Client client;
    private boolean startedForClass;

    private EtcdExtension(int size) {
        this.size = size;
    }

    /** One etcd member. */
    public static EtcdExtension single() {
        return new EtcdExtension(1);
    }

    /**
     * A cluster of {@code size} members (1, 3 or 5) that form one cluster at start.
     *
     * @throws IllegalArgumentException for another size
     */
    public static EtcdExtension cluster(int size) {
        if (size != 1 && size != 3 && size != 5) {
            throw new IllegalArgumentException("an etcd test cluster has 1, 3 or 5 members, got " + size);
        }
        return new EtcdExtension(size);
    }

    /**
     * Adjusts every member's configuration before it starts (e.g. {@code b -> b.quotaBackendBytes(1 <<
     * 20)}). Names, ports and data dirs are set by the extension; change them at your own risk.
     */
    public EtcdExtension configure(UnaryOperator<EtcdServerConfig.Builder> change) {
        Objects.requireNonNull(change, "change");
        UnaryOperator<EtcdServerConfig.Builder> previous = customizer;
        this.customizer = b -> change.apply(previous.apply(b));
        return this;
    }

    /**
     * Mutual TLS on the client and peer listeners: a fresh CA with server, peer and client
     * certificates (ECDSA P-256, from e2d-pki) in the temp dir; etcd requires client certificates
     * signed by that CA. Endpoints become {@code https://127.0.0.1:<port>} and {@link #client()}
     * presents the client certificate. {@link #pki()} gives the files.
     */
    public EtcdExtension tls() {
        this.tls = true;
        return this;
    }

    /**
     * The CA, server, peer and client certificate files of a {@link #tls()} extension (the client key
     * is also available as PKCS#8, which netty/jetcd need).
     *
     * @throws IllegalStateException when TLS is off or etcd is not running
     */
    public PkiFiles pki() {
        requireStarted();
        if (pki == null) {
            throw new IllegalStateException("this EtcdExtension runs without TLS: create it with .tls()");
        }
        return pki;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startedForClass = true;
        startAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (startedForClass) {
            startedForClass = false;
            shutdown();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (servers.isEmpty()) {
            startAll();
        } else {
            // Shared per class: bring back members that an earlier test stopped or killed.
            for (int i = 0; i < servers.size(); i++) {
                if (!servers.get(i).isRunning()) {
                    restart(i);
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!startedForClass) {
            shutdown();
        }
    }

    /** The number of members. */
    public int size() {
        return size;
    }

    /** The client URLs of all members, in member order. */
    public List<URI> endpoints() {
        requireStarted();
        List<URI> urls = new ArrayList<>();
        for (EtcdServerConfig c : configs) {
            urls.addAll(c.advertiseClientUrls());
        }
        return List.copyOf(urls);
    }

    /**
     * A jetcd client connected to every member, created on first use and closed by the extension (do
     * not close it).
     */
    public synchronized Client client() {
        requireStarted();
        if (client == null) {
            io.etcd.jetcd.ClientBuilder builder =
                    Client.builder().endpoints(endpoints().toArray(URI[]::new));
            if (pki != null) {
                PkiFiles files = pki;
                try {
                    builder.sslContext(b -> b.trustManager(files.caCert().toFile())
                            .keyManager(
                                    files.clientCert().toFile(),
                                    files.clientKeyPkcs8().toFile()));
                } catch (SSLException e) {
                    throw new IllegalStateException("cannot build the TLS context of the test client", e);
                }
            }
            client = builder.build();
        }
        return client;
    }

    /** The supervised server of member {@code i} (0-based). */
    public EtcdServer server(int i) {
        requireStarted();
        return servers.get(Objects.checkIndex(i, size));
    }

    /** The configuration of member {@code i}. */
    public EtcdServerConfig config(int i) {
        requireStarted();
        return configs.get(Objects.checkIndex(i, size));
    }

    /** The data dir of member {@code i}. */
    public Path dataDir(int i) {
        return config(i).dataDir();
    }

    /** The name of member {@code i} ({@code etcd-<n>-<i>}). */
    public String name(int i) {
        return config(i).name();
    }

    /** Stops member {@code i} gracefully (SIGTERM). Its data dir and ports are kept for {@link #restart}. */
    public void stop(int i) {
        server(i).stop();
    }

    /** Kills member {@code i} with SIGKILL (like {@code kill -9}) and waits until the process is gone. */
    public void kill(int i) {
        EtcdServer server = server(i);
        ProcessHandle.of(server.pid()).ifPresent(h -> {
            h.destroyForcibly();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing " + server.name(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("etcd member " + server.name() + " did not die after SIGKILL", e);
            }
        });
        server.stop(); // reaps threads and the shutdown hook; the process is already gone
    }

    /**
     * Starts member {@code i} again on the same data dir and ports (stopping it first if it still
     * runs) and waits until it is healthy. {@link #server(int)} then returns the new server.
     */
    public void restart(int i) {
        EtcdServer old = server(i);
        old.stop();
        EtcdServer fresh = EtcdServer.create(configs.get(i), binary());
        servers.set(i, fresh);
        fresh.start();
    }

    private EtcdBinary binary() {
        if (binary == null) {
            binary = EtcdBinary.resolve();
        }
        return binary;
    }

    private void requireStarted() {
        if (servers.isEmpty()) {
            throw new IllegalStateException("etcd is not running: register the EtcdExtension with @RegisterExtension"
                    + " and use it from a test or a lifecycle method");
        }
    }

    private void startAll() {
        int id = INSTANCES.incrementAndGet();
        try {
            baseDir = Files.createTempDirectory("e2d-testing-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for etcd", e);
        }
        String scheme = tls ? "https" : "http";
        if (tls) {
            // ECDSA keys: about 50 times faster to generate than RSA-2048.
            pki = Pki.generate(
                    Objects.requireNonNull(baseDir).resolve("pki"),
                    List.of(),
                    PkiConfig.builder().keyType(KeyType.ECDSA_P256).build());
        }
        int[] ports = FreePorts.tcp(2 * size);
        Map<String, URI> peers = new LinkedHashMap<>();
        List<URI> clientUrls = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            peers.put("etcd-" + id + "-" + i, URI.create(scheme + "://127.0.0.1:" + ports[2 * i + 1]));
            clientUrls.add(URI.create(scheme + "://127.0.0.1:" + ports[2 * i]));
        }
        Duration heartbeat = size == 1 ? SINGLE_HEARTBEAT : CLUSTER_HEARTBEAT;
        int i = 0;
        for (Map.Entry<String, URI> peer : peers.entrySet()) {
            EtcdServerConfig.Builder b = EtcdServerConfig.builder()
                    .name(peer.getKey())
                    .dataDir(Objects.requireNonNull(baseDir).resolve(peer.getKey()))
                    .clientUrl(clientUrls.get(i))
                    .peerUrl(peer.getValue())
                    .initialCluster(peers)
                    .initialClusterToken("e2d-testing-" + id)
                    .heartbeatInterval(heartbeat)
                    .electionTimeout(heartbeat.multipliedBy(10))
                    .startTimeout(START_TIMEOUT)
                    .stopTimeout(STOP_TIMEOUT);
            if (pki != null) {
                b.clientTls(TlsFiles.of(pki.serverCert(), pki.serverKey(), pki.caCert()))
                        .peerTls(TlsFiles.of(pki.peerCert(), pki.peerKey(), pki.caCert()))
                        // The server certificate is for serverAuth only: /health is polled as a client.
                        .healthCheckClientTls(TlsFiles.of(pki.clientCert(), pki.clientKey(), pki.caCert()));
            }
            configs.add(customizer.apply(b).build());
            i++;
        }
        for (EtcdServerConfig c : configs) {
            servers.add(EtcdServer.create(c, binary()));
        }
        try {
            startInParallel();
        } catch (RuntimeException e) {
            try {
                shutdown();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void startInParallel() {
        if (servers.size() == 1) {
            servers.get(0).start();
            return;
        }
        // Members of a new cluster only become healthy together, so they must start at the same time.
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(servers.size(), r -> {
            Thread t = new Thread(r, "e2d-testing-start-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (EtcdServer s : servers) {
                futures.add(pool.submit(s::start));
            }
            RuntimeException failure = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    RuntimeException cause =
                            e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting etcd", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void shutdown() {
        RuntimeException failure = null;
        Client c;
        synchronized (this) {
            c = client;
            client = null;
        }
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        servers.clear();
        configs.clear();
        pki = null;
        if (baseDir != null) {
            try {
                deleteRecursively(baseDir);
            } catch (IOException e) {
                UncheckedIOException u = new UncheckedIOException("cannot delete " + baseDir, e);
                if (failure == null) {
                    failure = u;
                } else {
                    failure.addSuppressed(u);
                }
            }
            baseDir = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
