package io.e2d.core.server;

import io.e2d.core.internal.DataDirs;
import io.e2d.core.internal.EtcdLogLines;
import io.e2d.core.internal.HealthProbe;
import io.e2d.core.internal.LogTail;
import io.e2d.pki.PkiException;
import io.e2d.pki.Tls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link EtcdServer} backed by a child process of this JVM. */
final class ProcessEtcdServer implements EtcdServer {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessEtcdServer.class);
    private static final int LOG_LINES = 50;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final long MIN_POLL_MILLIS = 10;
    private static final long MAX_POLL_MILLIS = 200;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final EtcdServerConfig config;
    private final EtcdBinary binary;
    private final List<String> command;
    private final Logger etcdLog;
    private final LogTail tail = new LogTail(LOG_LINES);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    private volatile State state = State.NEW;
    private volatile boolean stopRequested;
    private @Nullable Process process;
    private @Nullable Thread logPump;
    private @Nullable Thread watcher;
    private @Nullable Thread shutdownHook;

    ProcessEtcdServer(EtcdServerConfig config, EtcdBinary binary) {
        this.config = Objects.requireNonNull(config, "config");
        this.binary = Objects.requireNonNull(binary, "binary");
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.path().toString());
        cmd.addAll(EtcdFlags.build(config, binary.version()));
        this.command = List.copyOf(cmd);
        this.etcdLog = LoggerFactory.getLogger("io.e2d.etcd." + config.name());
    }

    @Override
    public EtcdServerConfig config() {
        return config;
    }

    @Override
    public EtcdBinary binary() {
        return binary;
    }

    @Override
    public List<String> command() {
        return command;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    @Override
    public long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("etcd member '" + config.name() + "' was never launched: call start()");
        }
        return p.pid();
    }

    @Override
    public List<String> recentLog() {
        return tail.lines();
    }

    @Override
    public Registration addListener(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("start() can be called once per EtcdServer; member '" + config.name()
                        + "' is " + state + ": create a new EtcdServer to restart it");
            }
            state = State.STARTING;
        }
        try {
            prepareDataDir();
            SSLContext probeSsl = probeSslContext();
            Process p = launch();
            awaitHealthy(p, probeSsl);
        } catch (RuntimeException e) {
            killQuietly();
            synchronized (lock) {
                state = stopRequested ? State.STOPPED : State.FAILED;
            }
            throw e;
        }
    }

    private void prepareDataDir() {
        Path dir = config.dataDir();
        try {
            DataDirs.prepare(dir);
        } catch (IOException | SecurityException e) {
            String why = DataDirs.describe(e);
            throw new EtcdStartException(
                    "etcd member '" + config.name() + "' cannot use data dir " + dir.toAbsolutePath() + " (" + why
                            + "): choose a directory this user can create and write (--data-dir), or fix its owner",
                    EtcdStartException.Reason.DATA_DIR,
                    List.of(),
                    OptionalInt.empty(),
                    e);
        }
    }

    private @Nullable SSLContext probeSslContext() {
        for (TlsFiles tls : List.of(config.clientTls(), config.peerTls(), config.healthCheckClientTls()).stream()
                .flatMap(java.util.Optional::stream)
                .toList()) {
            for (Path file : tls.ca().isPresent()
                    ? List.of(tls.cert(), tls.key(), tls.ca().get())
                    : List.of(tls.cert(), tls.key())) {
                if (!Files.isReadable(file)) {
                    throw new EtcdStartException(
                            "etcd member '" + config.name() + "': TLS file " + file.toAbsolutePath()
                                    + " does not exist or is not readable: fix the certificate/key paths",
                            EtcdStartException.Reason.TLS,
                            List.of(),
                            OptionalInt.empty());
                }
            }
        }
        if (!probeUrl().getScheme().equalsIgnoreCase("https")) {
            return null;
        }
        TlsFiles tls = config.healthCheckClientTls().orElseThrow();
        try {
            if (tls.ca().isPresent()) {
                return Tls.clientContext(tls.cert(), tls.key(), tls.ca().get());
            }
            // No CA: the server certificate must chain to a CA the JDK trusts.
            TrustManagerFactory jdkTrust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdkTrust.init((java.security.KeyStore) null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(Tls.keyManagers(tls.cert(), tls.key()).getKeyManagers(), jdkTrust.getTrustManagers(), null);
            return context;
        } catch (PkiException | GeneralSecurityException e) {
            throw new EtcdStartException(
                    "etcd member '" + config.name() + "': cannot load the TLS files " + tls.cert() + " / " + tls.key()
                            + " used to check /health: " + e.getMessage(),
                    EtcdStartException.Reason.TLS,
                    List.of(),
                    OptionalInt.empty(),
                    e);
        }
    }

    private URI probeUrl() {
        return config.advertiseClientUrls().get(0);
    }

    private Process launch() {
        Process p;
        synchronized (lock) {
            if (stopRequested) {
                throw new EtcdStartException(
                        "etcd member '" + config.name() + "' was stopped while starting",
                        EtcdStartException.Reason.EXITED,
                        List.of(),
                        OptionalInt.empty());
            }
            LOG.info("starting etcd member '{}': {}", config.name(), String.join(" ", command));
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new EtcdStartException(
                        "cannot run " + binary.path() + ": " + e.getMessage() + "; "
                                + EtcdBinaryNotFoundException.INSTALL_HINT,
                        EtcdStartException.Reason.EXITED,
                        List.of(),
                        OptionalInt.empty(),
                        e);
            }
            process = p;
            String prefix = "e2d-etcd-" + config.name();
            Thread hook = new Thread(() -> killOnShutdown(p), prefix + "-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
            Thread pump = new Thread(() -> pumpLog(p), prefix + "-log");
            pump.setDaemon(true);
            pump.start();
            logPump = pump;
            Thread watch = new Thread(() -> watch(p), prefix + "-watch");
            watch.setDaemon(true);
            watch.start();
            watcher = watch;
        }
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("closing etcd's stdin failed", e);
        }
        return p;
    }

    private void awaitHealthy(Process p, @Nullable SSLContext ssl) {
        long startNanos = System.nanoTime();
        long deadline = startNanos + config.startTimeout().toNanos();
        HealthProbe probe = new HealthProbe(probeUrl(), ssl, PROBE_TIMEOUT);
        long poll = MIN_POLL_MILLIS;
        String last = "no answer yet";
        while (true) {
            if (!p.isAlive()) {
                throw startFailure(p);
            }
            HealthProbe.Result result = probe.probe();
            if (result.healthy()) {
                synchronized (lock) {
                    if (state == State.STARTING && p.isAlive()) {
                        state = State.RUNNING;
                        LOG.info(
                                "etcd member '{}' is healthy at {} after {} ms (pid {})",
                                config.name(),
                                probe,
                                Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
                                p.pid());
                        return;
                    }
                }
                throw startFailure(p);
            }
            last = result.detail();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            try {
                // Returns as soon as etcd exits, so an early exit is reported at once.
                p.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, poll), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdStartException(
                        "interrupted while waiting for etcd member '" + config.name() + "' to become healthy",
                        EtcdStartException.Reason.TIMEOUT,
                        tail.lines(),
                        OptionalInt.empty(),
                        e);
            }
            poll = Math.min(MAX_POLL_MILLIS, poll * 2);
        }
        List<String> lines = tail.lines();
        throw new EtcdStartException(
                "etcd member '" + config.name() + "' did not become healthy within "
                        + config.startTimeout().toMillis()
                        + " ms (" + probe + ": " + last + "); etcd's last message: "
                        + EtcdLogLines.mostRelevant(lines).orElse("(no output)")
                        + ". For a cluster, the other members must be running too; otherwise raise the start timeout",
                EtcdStartException.Reason.TIMEOUT,
                lines,
                OptionalInt.empty());
    }

    private EtcdStartException startFailure(Process p) {
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        joinQuietly(logPump, DRAIN_TIMEOUT);
        List<String> lines = tail.lines();
        String relevant = EtcdLogLines.mostRelevant(lines).orElse("(no output)");
        String all = String.join("\n", lines).toLowerCase(Locale.ROOT);
        EtcdStartException.Reason reason;
        String fix;
        if (stopRequested) {
            reason = EtcdStartException.Reason.EXITED;
            fix = "it was stopped while starting";
        } else if (all.contains("address already in use")) {
            reason = EtcdStartException.Reason.PORT_IN_USE;
            fix = "another process uses the port: stop it or choose other client/peer addresses";
        } else if (all.contains("data-dir")
                || all.contains("data dir")
                || all.contains("permission denied")
                || all.contains("read-only file system")
                || all.contains("not a directory")
                || all.contains("no space left")) {
            reason = EtcdStartException.Reason.DATA_DIR;
            fix = "check that the data dir " + config.dataDir().toAbsolutePath() + " is writable and not corrupt";
        } else if (all.contains("x509") || all.contains("tls") || all.contains("certificate")) {
            reason = EtcdStartException.Reason.TLS;
            fix = "check the certificate, key and CA files";
        } else {
            reason = EtcdStartException.Reason.EXITED;
            fix = "see etcd's log lines above (logger io.e2d.etcd." + config.name() + ")";
        }
        return new EtcdStartException(
                "etcd member '" + config.name() + "' exited during start-up with code " + code + ": " + relevant + " ("
                        + fix + ")",
                reason,
                lines,
                OptionalInt.of(code));
    }

    private void pumpLog(Process p) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                tail.add(line);
                switch (EtcdLogLines.level(line)) {
                    case "debug" -> etcdLog.debug("{}", line);
                    case "warn" -> etcdLog.warn("{}", line);
                    case "error", "dpanic", "panic", "fatal" -> etcdLog.error("{}", line);
                    default -> etcdLog.info("{}", line);
                }
            }
        } catch (IOException e) {
            LOG.debug("etcd output of member '{}' closed: {}", config.name(), e.toString());
        }
    }

    private void watch(Process p) {
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean unexpected;
        synchronized (lock) {
            unexpected = !stopRequested && state == State.RUNNING;
            if (unexpected) {
                state = State.FAILED;
            }
        }
        removeShutdownHook();
        if (!unexpected) {
            return;
        }
        joinQuietly(logPump, DRAIN_TIMEOUT);
        LOG.warn(
                "etcd member '{}' (pid {}) exited unexpectedly with code {}; last message: {}",
                config.name(),
                p.pid(),
                code,
                EtcdLogLines.mostRelevant(tail.lines()).orElse("(no output)"));
        for (Listener listener : listeners) {
            try {
                listener.onUnexpectedExit(this, code);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed on the exit of etcd member '{}'", listener, config.name(), e);
            }
        }
    }

    @Override
    public void stop() {
        Process p;
        synchronized (lock) {
            stopRequested = true;
            p = process;
            if (p == null) {
                if (state == State.NEW) {
                    state = State.STOPPED;
                }
                return;
            }
            if (state != State.FAILED) {
                state = State.STOPPING;
            }
        }
        if (p.isAlive()) {
            LOG.info("stopping etcd member '{}' (pid {})", config.name(), p.pid());
            p.destroy();
            try {
                if (!p.waitFor(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn(
                            "etcd member '{}' did not stop within {} ms of SIGTERM: killing it",
                            config.name(),
                            config.stopTimeout().toMillis());
                    p.destroyForcibly();
                    p.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        joinQuietly(logPump, DRAIN_TIMEOUT);
        joinQuietly(watcher, DRAIN_TIMEOUT);
        removeShutdownHook();
        synchronized (lock) {
            if (state == State.STOPPING) {
                state = State.STOPPED;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void killQuietly() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        joinQuietly(logPump, DRAIN_TIMEOUT);
        removeShutdownHook();
    }

    private void killOnShutdown(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(Math.min(config.stopTimeout().toMillis(), 5_000), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void removeShutdownHook() {
        Thread hook;
        synchronized (lock) {
            hook = shutdownHook;
            shutdownHook = null;
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs and kills etcd.
            }
        }
    }

    private static void joinQuietly(@Nullable Thread t, Duration timeout) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EtcdServer{" + config.name() + ", " + state + ", " + binary + "}";
    }
}
