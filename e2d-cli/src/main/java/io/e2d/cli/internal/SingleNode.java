package io.e2d.cli.internal;

import io.e2d.cli.CliException;
import io.e2d.cli.ExitCodes;
import io.e2d.core.server.EtcdBinary;
import io.e2d.core.server.EtcdServer;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.core.server.EtcdStartException;
import io.e2d.core.server.TlsFiles;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * {@code e2d run -n 1}: one etcd member supervised until SIGINT/SIGTERM (exit 0) or until etcd exits on
 * its own (exit 1, with etcd's last log line).
 */
public final class SingleNode {

    private final RunSettings settings;
    private final Map<String, String> env;
    private final PrintWriter out;
    private final Logger log;

    /** Runs {@code settings}, printing where etcd listens to {@code out}. */
    public SingleNode(RunSettings settings, Map<String, String> env, PrintWriter out, Logger log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.env = Map.copyOf(env);
        this.out = Objects.requireNonNull(out, "out");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The etcd configuration for {@code settings}, with {@code name} as the member name. */
    public static EtcdServerConfig config(RunSettings settings, String name) {
        RunSettings.Tls tls = settings.tls();
        List<URI> listenClient = new ArrayList<>();
        listenClient.add(URI.create(settings.client().listenUrl()));
        HostPort client = settings.client().listen();
        if (!client.isWildcard() && !client.isLoopback()) {
            // As Go e2d: local tools can always reach etcd on loopback.
            listenClient.add(URI.create(
                    client.withHost("127.0.0.1").toUrl(settings.client().scheme())));
        }
        Optional<Path> ca = tls.caCert();
        @Nullable
        TlsFiles clientTls = tls.serverCert()
                .map(cert -> new TlsFiles(cert, tls.serverKey().orElseThrow(), ca))
                .orElse(null);
        @Nullable
        TlsFiles peerTls = tls.peerCert()
                .map(cert -> new TlsFiles(cert, tls.peerKey().orElseThrow(), ca))
                .orElse(null);
        EtcdServerConfig.Builder builder = EtcdServerConfig.builder()
                .name(name)
                .dataDir(settings.dataDir())
                .listenClientUrls(listenClient)
                .advertiseClientUrls(List.of(URI.create(settings.client().advertisedUrl())))
                .listenPeerUrls(List.of(URI.create(settings.peer().listenUrl())))
                .advertisePeerUrls(List.of(URI.create(settings.peer().advertisedUrl())))
                .clientTls(clientTls)
                .peerTls(peerTls)
                .binary(settings.etcdBinary().orElse(null));
        if (clientTls != null && clientTls.isCertAuth() && peerTls != null) {
            // With client-cert-auth, e2d's own health checks present the peer certificate, as Go e2d's
            // internal clients did (server certificates often lack the clientAuth usage).
            builder.healthCheckClientTls(peerTls);
        }
        return builder.build();
    }

    /** The member name: {@code --name}, else derived from the host name. */
    public static String memberName(String configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "";
        }
        String name =
                host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        return name.isEmpty() ? "e2d" : name;
    }

    /**
     * Starts etcd and blocks until a signal or an exit of etcd.
     *
     * @return {@link ExitCodes#OK} after a signal
     * @throws CliException when etcd exits unexpectedly
     * @throws io.e2d.core.E2dException when etcd cannot be found or started
     */
    public int run() {
        CompletableFuture<String> stop = new CompletableFuture<>();
        EtcdServerConfig config = config(settings, memberName(settings.name()));
        EtcdBinary binary = EtcdBinary.resolve(config.binary(), env);
        try (SignalTrap trap = SignalTrap.install(List.of("TERM", "INT"), sig -> stop.complete("SIG" + sig));
                EtcdServer server = EtcdServer.create(config, binary)) {
            if (!trap.isActive()) {
                log.debug("cannot catch SIGTERM/SIGINT here: etcd is still stopped by the JVM's shutdown hook");
            }
            // Closed with the server.
            server.addListener(new EtcdServer.Listener() {
                @Override
                public void onUnexpectedExit(EtcdServer s, int exitCode) {
                    stop.complete("exit code " + exitCode);
                }
            });
            log.debug("starting {}", String.join(" ", server.command()));
            try {
                server.start();
            } catch (EtcdStartException e) {
                if (stop.isDone() && stop.join().startsWith("SIG")) {
                    log.info("{} received while etcd was starting: stopped", stop.join());
                    return ExitCodes.OK;
                }
                throw e;
            }
            printReady(server);
            String why = stop.join();
            if (!why.startsWith("SIG")) {
                List<String> lines = server.recentLog();
                String last = lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
                throw new CliException(
                        ExitCodes.RUNTIME_ERROR,
                        "etcd exited unexpectedly (" + why + "); its last log line: " + last.strip());
            }
            log.info("{} received: stopping etcd (pid {})", why, server.pid());
        }
        log.info("etcd stopped");
        return ExitCodes.OK;
    }

    private void printReady(EtcdServer server) {
        String clientUrl = settings.client().advertisedUrl();
        out.printf(
                "e2d: etcd %s is running as member %s (pid %d)%n"
                        + "e2d:   clients: %s%s%n"
                        + "e2d:   peers:   %s%n"
                        + "e2d:   data:    %s%n"
                        + "e2d: stop with Ctrl-C or SIGTERM%s%n",
                server.binary().version(),
                server.name(),
                server.pid(),
                settings.client().listenUrl(),
                settings.client().listen().isWildcard() ? " (advertised as " + clientUrl + ")" : "",
                settings.peer().listenUrl(),
                settings.dataDir(),
                settings.tls().isClientTls() ? "" : "; try: etcdctl --endpoints=" + clientUrl + " put hello world");
        out.flush();
    }
}
