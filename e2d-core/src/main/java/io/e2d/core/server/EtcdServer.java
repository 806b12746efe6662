package io.e2d.core.server;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One supervised etcd process. {@link #start()} launches the real {@code etcd} binary with flags
 * computed from an {@link EtcdServerConfig} and blocks until its {@code /health} endpoint answers
 * healthy; {@link #stop()} (and {@link #close()}) sends SIGTERM, waits up to the stop timeout, then
 * SIGKILLs. etcd's output goes to the SLF4J logger {@code io.e2d.etcd.<member name>}. The process
 * never outlives the JVM (a shutdown hook kills it). An exit that nobody asked for is reported to
 * the {@link Listener}s.
 *
 * <p>An instance is started at most once; to restart a member, create a new instance with the same
 * configuration (the data dir keeps the data). Implementations are thread-safe.
 *
 * <pre>{@code
 * try (EtcdServer etcd = EtcdServer.create(config)) {
 *     etcd.start();                       // throws EtcdStartException with etcd's own log lines
 *     URI endpoint = etcd.clientUrls().get(0);
 *     ...
 * }
 * }</pre>
 */
public interface EtcdServer extends AutoCloseable {

    /**
     * A server for {@code config}, with the etcd binary resolved from {@link
     * EtcdServerConfig#binary()}, {@code E2D_ETCD_BINARY} or the PATH. Nothing runs until {@link
     * #start()}.
     *
     * @throws EtcdBinaryNotFoundException when no supported etcd binary is found
     */
    static EtcdServer create(EtcdServerConfig config) {
        Objects.requireNonNull(config, "config");
        return create(config, EtcdBinary.resolve(config.binary()));
    }

    /** A server for {@code config} that runs {@code binary}. */
    static EtcdServer create(EtcdServerConfig config, EtcdBinary binary) {
        return new ProcessEtcdServer(config, binary);
    }

    /** The life-cycle state of a server. */
    enum State {
        /** Created, not started. */
        NEW,
        /** {@link #start()} is waiting for etcd to become healthy. */
        STARTING,
        /** etcd reported healthy and has not exited. */
        RUNNING,
        /** {@link #stop()} is in progress. */
        STOPPING,
        /** Stopped on request. */
        STOPPED,
        /** Failed to start, or exited without being asked to. */
        FAILED
    }

    /** Callbacks about a running server; methods are called on an e2d thread and must not block long. */
    interface Listener {
        /**
         * etcd exited although nobody called {@link #stop()} (crash, kill -9, removed from the cluster).
         *
         * @param exitCode the process exit code (137 or -1 style codes for signals, platform-dependent)
         */
        default void onUnexpectedExit(EtcdServer server, int exitCode) {}
    }

    /** The configuration this server runs. */
    EtcdServerConfig config();

    /** The member name. */
    default String name() {
        return config().name();
    }

    /** The binary this server runs. */
    EtcdBinary binary();

    /** The advertised client URLs (the endpoints to give to a client). */
    default List<URI> clientUrls() {
        return config().advertiseClientUrls();
    }

    /** The exact etcd command line (binary and flags) that {@link #start()} runs. */
    List<String> command();

    /**
     * Launches etcd and blocks until {@code GET /health} answers healthy, at most {@link
     * EtcdServerConfig#startTimeout()}. Creates the data dir with mode 0700 (or fixes its mode).
     *
     * @throws EtcdStartException when the data dir is unusable, etcd exits (port in use, bad data,
     *     bad TLS...) or does not become healthy in time; it carries etcd's last log lines and the
     *     process is gone when it is thrown
     * @throws IllegalStateException when called a second time
     */
    void start();

    /**
     * Stops etcd: SIGTERM, wait up to {@link EtcdServerConfig#stopTimeout()}, then SIGKILL. Blocks
     * until the process is gone. Idempotent; does nothing when never started.
     */
    void stop();

    /** Same as {@link #stop()}. */
    @Override
    void close();

    /** The current state. */
    State state();

    /** Whether the etcd process is alive. */
    boolean isRunning();

    /**
     * The operating-system process id of etcd.
     *
     * @throws IllegalStateException when the process was never launched
     */
    long pid();

    /** etcd's last output lines (up to 50), oldest first. */
    List<String> recentLog();

    /**
     * Registers a listener; close the returned handle to unregister it.
     */
    Registration addListener(Listener listener);

    /** A listener registration; {@link #close()} unregisters it (idempotent, never throws). */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
